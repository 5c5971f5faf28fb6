using System.Diagnostics;
using System.Text.Json.Serialization;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>What <see cref="MemoryBenchmark.Run"/> measured (resident memory in MiB, as the kernel counts it).</summary>
/// <remarks>The JSON names are `pruner bench memory`'s fields.</remarks>
public sealed record MemoryBenchmarkResult(
    [property: JsonPropertyName("rss_after_warmup_mb")] double ResidentAfterWarmUpMiB, [property: JsonPropertyName("rss_end_mb")] double ResidentEndMiB,
    double Seconds, string Engine, [property: JsonPropertyName("managed_kb_per_call")] double ManagedKiBPerCall)
{
    [JsonPropertyName("growth_mb")]
    public double GrowthMiB => ResidentEndMiB - ResidentAfterWarmUpMiB;
}

/// <summary>
/// Resident memory before and after many generate calls (`pruner bench memory`): tensor scopes and the engine's
/// buffers must keep it flat. Each call samples batch 4, prompt 16, 32 new tokens at temperature 1 (seed = the call's
/// index); the first tenth of the calls warms allocators and caches up, growth is measured over the rest.
/// </summary>
public static class MemoryBenchmark
{
    public static MemoryBenchmarkResult Run(CausalLM model, int calls, DecodeEngine engine)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (calls < 2)
            throw new ArgumentOutOfRangeException(nameof(calls), calls, "at least 2 calls (one to warm up, one to measure)");
        var prompts = BenchmarkPrompts.Draw(new Random(7), 4, 16, model.Config.VocabSize);
        var options = new SamplingOptions { MaxNewTokens = 32, Temperature = 1.0, Engine = engine };
        var used = Generator.EngineFor(model, options, out _);
        var warm = Math.Max(1, calls / 10);
        double afterWarmUp = 0;
        long allocatedAtWarmUp = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            Generator.Generate(model, prompts, options with { Seed = i });
            if (i == warm - 1)
            {
                afterWarmUp = ProcessMemory.ResidentMiB();
                allocatedAtWarmUp = GC.GetTotalAllocatedBytes(precise: true);
            }
        }
        var end = ProcessMemory.ResidentMiB();
        return new MemoryBenchmarkResult(afterWarmUp, end, clock.Elapsed.TotalSeconds, GenerateBenchmark.EngineName(used),
            (GC.GetTotalAllocatedBytes(precise: true) - allocatedAtWarmUp) / 1024.0 / (calls - warm));
    }
}
