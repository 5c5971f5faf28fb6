using System.Collections.Concurrent;
using System.Diagnostics;
using PrunerPipeline.Model;
using PrunerPipeline.RolloutService;
using Xunit.Abstractions;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>
/// Rollout throughput (generated tokens per second) with 1 and 2 workers. A worker is what a rollout process is: its own
/// copy of the reference model, taking whole shards from a shared queue (prefetch 1), sampling them with
/// <see cref="RolloutSampler"/> exactly as <c>GenerateRolloutsConsumer</c> does. Run with
/// <c>PRUNER_BENCHMARKS=1 dotnet test tests/Services.Tests --filter RolloutThroughputBenchmark</c>;
/// <c>PRUNER_BENCH_MODEL</c> names the model folder (default: the built-in model).
/// </summary>
public sealed class RolloutThroughputBenchmark(ITestOutputHelper output)
{
    private const int Shards = 8;
    private const int ProblemsPerShard = 2;
    private const int SamplesPerProblem = 8;
    private const int MaxNewTokens = 128;

    [BenchmarkFact]
    public void Throughput_with_one_and_two_workers()
    {
        var folder = Environment.GetEnvironmentVariable("PRUNER_BENCH_MODEL") ?? BenchmarkModel.Folder();
        var shards = BenchmarkModel.Shards(Shards, ProblemsPerShard);
        output.WriteLine($"model {folder}; {Shards} shards × {ProblemsPerShard} problems × K={SamplesPerProblem}, max {MaxNewTokens} new tokens, batch 8, {Environment.ProcessorCount} cores");

        foreach (var workers in new[] { 1, 2 })
        {
            var (tokens, elapsed) = Run(folder, shards, workers);
            output.WriteLine($"{workers} worker(s): {tokens} tokens in {elapsed.TotalSeconds:F1} s = {tokens / elapsed.TotalSeconds:F0} tokens/s");
            Assert.True(tokens > 0);
        }
    }

    private static (long Tokens, TimeSpan Elapsed) Run(string folder, IReadOnlyList<IReadOnlyList<RolloutPromptSet>> shards, int workers)
    {
        var models = Enumerable.Range(0, workers).Select(_ => new ReferenceModel(CausalLM.Load(folder), TextTokenizer.Load(folder))).ToList();
        try
        {
            // Warm-up outside the clock: first calls pay for kernel selection and allocations.
            foreach (var model in models)
            {
                RolloutSampler.Sample(model, shards[0].Take(1).ToList(), Settings(seed: 0), null, CancellationToken.None);
            }

            var queue = new ConcurrentQueue<IReadOnlyList<RolloutPromptSet>>(shards);
            var stopwatch = Stopwatch.StartNew();
            var work = models.Select((model, worker) => Task.Factory.StartNew(() =>
            {
                long tokens = 0;
                while (queue.TryDequeue(out var shard))
                {
                    tokens += RolloutSampler.Sample(model, shard, Settings(seed: worker * 1000 + queue.Count), null, CancellationToken.None).Sum(s => (long)s.Length);
                }

                return tokens;
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(work);
            return (work.Sum(t => t.Result), stopwatch.Elapsed);
        }
        finally
        {
            models.ForEach(m => m.Model.Dispose());
        }
    }

    private static RolloutSamplingSettings Settings(int seed) =>
        new(SamplesPerProblem, MaxNewTokens, Temperature: 1.0, TopP: 1.0, Seed: seed, BatchSize: 8);
}
