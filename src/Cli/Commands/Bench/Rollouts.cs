using PrunerPipeline.Model;
using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary>
/// <c>pruner bench rollouts</c>: rollout-shaped decoding (lengths spread log-uniformly) against the same tokens at the
/// mean length; one JSON line (see <see cref="RolloutBenchmark"/>). <c>--static</c> measures static batching instead.
/// </summary>
internal static class Rollouts
{
    public static Command Create()
    {
        var bench = ModelBench.Decoding("Decoding threads (default: libtorch's).");
        var requests = BenchOutput.Count("--requests", "Requests (random prompts of 32 ids).");
        var concurrency = BenchOutput.Count("--concurrency", "Sequences decoded at once (slots).");
        var minNew = BenchOutput.Count("--min-new-tokens", "Shortest request length.");
        var maxNew = BenchOutput.Count("--max-new-tokens", "Longest request length (lengths are log-uniform in between).");
        var seed = new Option<int>("--seed") { Description = "Seed of the prompts and lengths.", DefaultValueFactory = _ => 1 };
        var staticBatching = new Option<bool>("--static") { Description = "Static batching (each batch of B decodes until its longest request ends): the baseline." };
        var command = bench.Command("rollouts", "Rollout decoding tokens/s with lengths spread over [min, max], and its efficiency against uniform lengths.",
            requests, concurrency, minNew, maxNew, seed, staticBatching);
        command.SetAction(parseResult =>
        {
            var (r, b, a, z) = (parseResult.GetValue(requests), parseResult.GetValue(concurrency), parseResult.GetValue(minNew), parseResult.GetValue(maxNew));
            if (z < a)
                return BenchOutput.Fail("--max-new-tokens must be at least --min-new-tokens");
            if (parseResult.GetValue(bench.Threads) is < 1)
                return BenchOutput.Fail("--threads must be at least 1");
            using (var loaded = bench.Load(parseResult))
            {
                var (causalLm, used, threadCount) = (loaded.Model, loaded.Dtype, loaded.Threads);
                var batching = parseResult.GetValue(staticBatching) ? BatchingMode.Static : BatchingMode.Continuous;
                var result = RolloutBenchmark.Run(causalLm, r, b, a, z, threadCount, parseResult.GetValue(seed), DecodeModels.PrecisionOf(used), batching);
                return BenchOutput.Print(result, new
                {
                    requests = r, concurrency = b, min_new_tokens = a, max_new_tokens = z,
                    batching = batching == BatchingMode.Static ? "static" : "continuous", prompt_len = RolloutBenchmark.PromptLength,
                    threads = threadCount, seed = parseResult.GetValue(seed), parameters = causalLm.ParameterCount,
                });
            }
        });
        return command;
    }
}
