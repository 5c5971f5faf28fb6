using PrunerPipeline.Model.Checkpoints;
using PrunerPipeline.Training.Checkpoints;
using TorchSharp.Modules;

namespace PrunerPipeline.Training.Tests;

/// <summary>
/// A policy small enough for unit tests: the next token depends on the previous one through an embedding, one
/// residual "layer" and an output head. Parameter names follow the Hugging Face convention so freezing by name applies.
/// </summary>
internal sealed class TinyPolicy : nn.Module, ITrainablePolicy
{
    private readonly Body model;
    private readonly Linear lm_head;

    public TinyPolicy(int vocabulary = 16, int hidden = 8, long seed = 7) : base("tiny")
    {
        torch.manual_seed(seed);
        model = new Body(vocabulary, hidden);
        lm_head = nn.Linear(hidden, vocabulary, hasBias: false);
        RegisterComponents();
    }

    private sealed class Body : nn.Module
    {
        public readonly Embedding embed_tokens;
        public readonly ModuleList<Linear> layers;

        public Body(int vocabulary, int hidden) : base("body")
        {
            embed_tokens = nn.Embedding(vocabulary, hidden);
            layers = nn.ModuleList(nn.Linear(hidden, hidden, hasBias: false));
            RegisterComponents();
        }
    }

    public nn.Module Module => this;

    public Device Device => CPU;

    public (Tensor LogProbs, Tensor Mask) CompletionLogProbs(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions)
    {
        using var scope = NewDisposeScope();
        var batch = NextTokenBatch.Of(prompts, completions);
        var h = model.embed_tokens.forward(tensor(batch.Previous, [batch.Rows, batch.Width]));   // (B, T, H)
        h = h + model.layers[0].forward(h).tanh();
        var logProbs = nn.functional.log_softmax(lm_head.forward(h), -1);             // (B, T, V)
        var picked = logProbs.gather(-1, tensor(batch.Targets, [batch.Rows, batch.Width]).unsqueeze(-1)).squeeze(-1);
        return (picked.MoveToOuterDisposeScope(), tensor(batch.Mask, [batch.Rows, batch.Width]).MoveToOuterDisposeScope());
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToArray());
    }

    public static TinyPolicy Load(string directory)
    {
        var policy = new TinyPolicy();
        var weights = SafetensorsReader.ReadAll(Path.Combine(directory, "model.safetensors"));
        using (no_grad())
        {
            foreach (var (name, parameter) in policy.named_parameters())
            {
                parameter.copy_(weights[name]);
            }
        }
        foreach (var w in weights.Values)
        {
            w.Dispose();
        }
        return policy;
    }

    /// <summary>Every weight as raw floats, for bit-for-bit comparisons.</summary>
    public Dictionary<string, float[]> Snapshot() =>
        named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().data<float>().ToArray());
}
