using System.Diagnostics;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>What <see cref="GenerateBenchmark.Run"/> measured.</summary>
/// <param name="Engine">the engine that decoded: "managed" or "torch"</param>
public sealed record GenerateBenchmarkResult(double TokensPerSecond, double Seconds, long Tokens, string Engine);

/// <summary>
/// Decoding tokens/s (`pruner bench generate`): <c>batch</c> random prompts of <c>promptLength</c> ids (seed 7), decoded
/// with <paramref name="options"/> (greedy and without stop ids, every sequence runs to MaxNewTokens) once as a warm-up,
/// then once timed.
/// </summary>
public static class GenerateBenchmark
{
    public static GenerateBenchmarkResult Run(CausalLM model, int batch, int promptLength, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var prompts = BenchmarkPrompts.Draw(new Random(7), batch, promptLength, model.Config.VocabSize);
        var engine = Generator.EngineFor(model, options, out _);
        Generator.Generate(model, prompts, options);
        var clock = Stopwatch.StartNew();
        var generated = Generator.Generate(model, prompts, options);
        var seconds = clock.Elapsed.TotalSeconds;
        var tokens = generated.Sum(g => (long)g.TokenIds.Length);
        return new GenerateBenchmarkResult(tokens / seconds, seconds, tokens, EngineName(engine));
    }

    /// <summary>The name the benchmark lines print for an engine ("managed", "torch").</summary>
    public static string EngineName(DecodeEngine engine) => engine == DecodeEngine.Managed ? "managed" : "torch";
}
