using System.Diagnostics;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>What <see cref="DecodeStepProfile.Run"/> measured.</summary>
/// <param name="StepMs">one torch-engine decode step (KV cache, prompt 32, mean over 128 new tokens)</param>
/// <param name="MatmulMs">every weight matrix of the step once against a (B, in) activation, nothing else</param>
/// <param name="TinyOpMicroseconds">one tiny op (add a scalar to a (B, hidden) tensor): the dispatch cost</param>
/// <remarks>The JSON names are `pruner bench profile`'s fields.</remarks>
public sealed record DecodeStepProfileResult(double StepMs, double MatmulMs, [property: JsonPropertyName("tiny_op_us")] double TinyOpMicroseconds, int WeightMatrices)
{
    public double MatmulShare => MatmulMs / StepMs;

    /// <summary>The step's time outside the weight matmuls, in tiny ops.</summary>
    public double OpsEquivalent => (StepMs - MatmulMs) * 1000 / TinyOpMicroseconds;
}

/// <summary>
/// Where a torch-engine decode step's time goes (`pruner bench profile`): the step, the same step's weight matmuls
/// alone, and the cost of one tiny op. The managed engine has no per-op dispatch to split out, so this profiles torch.
/// </summary>
public static class DecodeStepProfile
{
    private const int Steps = 128;

    public static DecodeStepProfileResult Run(CausalLM model, int batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        using var noGrad = no_grad();
        var prompts = BenchmarkPrompts.Draw(new Random(7), batch, 32, model.Config.VocabSize);
        var options = new SamplingOptions { MaxNewTokens = Steps, Temperature = 0, Engine = DecodeEngine.Torch };
        Generator.Generate(model, prompts, options);
        var clock = Stopwatch.StartNew();
        Generator.Generate(model, prompts, options);
        var stepMs = clock.Elapsed.TotalMilliseconds / Steps;

        // The LM head is the embedding when tied.
        var weights = model.Module.named_parameters()
            .Where(p => p.parameter.dim() == 2 && (p.name != "model.embed_tokens.weight" || model.Config.TieWordEmbeddings))
            .Select(p => p.parameter).ToList();
        using var profileScope = NewDisposeScope();
        var inputs = weights.Select(w => randn(batch, w.shape[1])).ToList();
        double MatmulStep()
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 50; i++)
            {
                using var scope = NewDisposeScope();
                for (var w = 0; w < weights.Count; w++)
                    nn.functional.linear(inputs[w], weights[w]);
            }
            return watch.Elapsed.TotalMilliseconds / 50;
        }
        MatmulStep();
        var matmulMs = Enumerable.Range(0, 3).Min(_ => MatmulStep());

        var small = randn(batch, model.Config.HiddenSize);
        double TinyOp()
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 20_000; i++)
            {
                using var scope = NewDisposeScope();
                small.add(1.0);
            }
            return watch.Elapsed.TotalMilliseconds * 1000 / 20_000;
        }
        TinyOp();
        var opMicroseconds = Enumerable.Range(0, 3).Min(_ => TinyOp());
        return new DecodeStepProfileResult(stepMs, matmulMs, opMicroseconds, weights.Count);
    }
}
