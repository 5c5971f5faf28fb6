using PrunerPipeline.Model.Checkpoints;
using System.Text.Json;
using PrunerPipeline.TrainerService.Policies;
using PrunerPipeline.Training.Checkpoints;
using PrunerPipeline.Training.Loop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Services.Tests.Trainer;

/// <summary>
/// A one-matrix policy (next-token logits from the previous token) that keeps the trainer-service tests about the
/// service: resume, upload, events, cancellation. It saves config.json + model.safetensors like an HF folder.
/// The loader can inject a crash after a number of forward passes, to kill a job mid-run.
/// </summary>
internal sealed class BigramPolicy : nn.Module, ITrainablePolicy
{
    public const int Vocabulary = 32;
    private readonly Parameter lm_head;
    private readonly Action? beforeForward;

    public BigramPolicy(Action? beforeForward) : base("bigram")
    {
        lm_head = new Parameter(zeros(Vocabulary, Vocabulary));
        this.beforeForward = beforeForward;
        RegisterComponents();
    }

    public nn.Module Module => this;

    public Device Device => CPU;

    public (Tensor LogProbs, Tensor Mask) CompletionLogProbs(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions)
    {
        beforeForward?.Invoke();
        using var scope = NewDisposeScope();
        var batch = NextTokenBatch.Of(prompts, completions);
        var logits = lm_head.index_select(0, tensor(batch.Previous)).reshape(batch.Rows, batch.Width, Vocabulary);
        var picked = nn.functional.log_softmax(logits, -1).gather(-1, tensor(batch.Targets, [batch.Rows, batch.Width]).unsqueeze(-1)).squeeze(-1);
        return (picked.MoveToOuterDisposeScope(), tensor(batch.Mask, [batch.Rows, batch.Width]).MoveToOuterDisposeScope());
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(new { model_type = "bigram", vocab_size = Vocabulary }));
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), [("lm_head.weight", lm_head)]);
    }

    public float[] Weights() => lm_head.detach().data<float>().ToArray();

    public static BigramPolicy Load(string directory, Action? beforeForward = null)
    {
        var policy = new BigramPolicy(beforeForward);
        var weights = SafetensorsReader.ReadAll(Path.Combine(directory, "model.safetensors"));
        using (no_grad())
        {
            policy.lm_head.copy_(weights["lm_head.weight"]);
        }
        return policy;
    }
}

/// <summary>Loads <see cref="BigramPolicy"/> folders; optionally crashes on the N-th forward pass or slows each one down.</summary>
internal sealed class BigramPolicyLoader : IPolicyLoader
{
    private int forwards;

    public int? CrashOnForward { get; init; }

    public TimeSpan ForwardDelay { get; init; }

    public List<BigramPolicy> Loaded { get; } = [];

    public ITrainablePolicy Load(string modelFolder, string device)
    {
        var policy = BigramPolicy.Load(modelFolder, () =>
        {
            if (++forwards == CrashOnForward)
            {
                throw new IOException("simulated crash of the trainer process");
            }
            if (ForwardDelay > TimeSpan.Zero)
            {
                Thread.Sleep(ForwardDelay);
            }
        });
        Loaded.Add(policy);
        return policy;
    }
}
