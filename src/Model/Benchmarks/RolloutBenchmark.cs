using System.Diagnostics;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>What <see cref="RolloutBenchmark.Run"/> measured.</summary>
public sealed record RolloutBenchmarkResult(
    double TokensPerSecond,
    double UniformTokensPerSecond,
    double Efficiency,
    long Tokens,
    double Seconds,
    double UniformSeconds,
    double MeanNewTokens,
    int LongestNewTokens,
    string Engine,
    string Dtype);

/// <summary>
/// Rollout-shaped decoding: R requests of random 32-id prompts whose lengths spread log-uniformly over [A, Z] (drawn
/// from the seed; each request stops exactly at its length, as if it had sampled its stop token), decoded B at a time.
/// tokens/s = useful tokens / wall seconds; the uniform figure decodes the same total with every request at the mean
/// length, which no batching wastes anything on, so their ratio (efficiency) is what the length spread costs.
/// </summary>
public static class RolloutBenchmark
{
    public const int PromptLength = 32;

    /// <summary>Lengths drawn log-uniformly in [min, max]: exp(U(ln min, ln max)) rounded, from <paramref name="seed"/>.</summary>
    public static int[] Lengths(int requests, int min, int max, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, requests)
            .Select(_ => Math.Clamp((int)Math.Round(Math.Exp(Math.Log(min) + random.NextDouble() * (Math.Log(max) - Math.Log(min)))), min, max))
            .ToArray();
    }

    public static RolloutBenchmarkResult Run(CausalLM model, int requests, int concurrency, int minNewTokens, int maxNewTokens, int threads, int seed,
        WeightPrecision weights, BatchingMode batching)
    {
        ArgumentNullException.ThrowIfNull(model);
        var random = new Random(seed + 1);
        var prompts = BenchmarkPrompts.Draw(random, requests, PromptLength, model.Config.VocabSize);
        var lengths = Lengths(requests, minNewTokens, maxNewTokens, seed);
        var total = lengths.Sum(l => (long)l);
        var mean = (int)Math.Max(1, Math.Round((double)total / requests));
        // Greedy: the tokens do not matter, only how many each request decodes.
        var options = new SamplingOptions
        {
            Temperature = 0, Concurrency = concurrency, Batching = batching, EngineThreads = threads, Weights = weights,
        };
        var engine = GenerateBenchmark.EngineName(Generator.EngineFor(model, options, out _));

        // Warm-up: JIT, the weight snapshot and the worker threads (a few short requests).
        Generator.Generate(model, prompts.Take(Math.Min(requests, concurrency)).ToArray(), options with { MaxNewTokens = 4 });
        var dtype = Inference.ManagedGeneration.DtypeOf(model) ?? "f32";

        var clock = Stopwatch.StartNew();
        var generated = Generator.Generate(model, prompts, options with { MaxNewTokens = lengths.Max(), SequenceMaxNewTokens = lengths });
        var seconds = clock.Elapsed.TotalSeconds;
        var tokens = generated.Sum(g => (long)g.TokenIds.Length);
        if (tokens != total)
            throw new InvalidOperationException($"decoded {tokens} tokens, the requests asked for {total}");

        clock.Restart();
        var uniform = Generator.Generate(model, prompts, options with { MaxNewTokens = mean });
        var uniformSeconds = clock.Elapsed.TotalSeconds;
        var uniformTokens = uniform.Sum(g => (long)g.TokenIds.Length);
        var tokensPerSecond = tokens / seconds;
        var uniformPerSecond = uniformTokens / uniformSeconds;
        return new RolloutBenchmarkResult(tokensPerSecond, uniformPerSecond, tokensPerSecond / uniformPerSecond, tokens, seconds, uniformSeconds,
            (double)total / requests, lengths.Max(), engine, dtype);
    }
}
