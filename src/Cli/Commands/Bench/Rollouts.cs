using System.CommandLine;
using System.Text.Json;
using PrunerPipeline.Model;
using PrunerPipeline.Model.Benchmarks;
using static TorchSharp.torch;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary>
/// <c>pruner bench rollouts</c>: rollout-shaped decoding (lengths spread log-uniformly) against the same tokens at the
/// mean length; one JSON line (see <see cref="RolloutBenchmark"/>). <c>--static</c> measures static batching instead.
/// </summary>
internal static class Rollouts
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json + safetensors).", Required = true };
        var requests = new Option<int>("--requests") { Description = "Requests (random prompts of 32 ids).", Required = true };
        var concurrency = new Option<int>("--concurrency") { Description = "Sequences decoded at once (slots).", Required = true };
        var minNew = new Option<int>("--min-new-tokens") { Description = "Shortest request length.", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Longest request length (lengths are log-uniform in between).", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Decoding threads (default: libtorch's)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the prompts and lengths.", DefaultValueFactory = _ => 1 };
        var dtype = new Option<string>("--dtype") { Description = "Weights: auto (the checkpoint's own), bf16, f16 or f32.", DefaultValueFactory = _ => "auto" };
        dtype.AcceptOnlyFromAmong(DecodeModels.DtypeNames);
        var staticBatching = new Option<bool>("--static") { Description = "Static batching (each batch of B decodes until its longest request ends): the baseline." };
        var command = new Command("rollouts", "Rollout decoding tokens/s with lengths spread over [min, max], and its efficiency against uniform lengths.")
        {
            model, requests, concurrency, minNew, maxNew, threads, seed, dtype, staticBatching,
        };
        command.SetAction(parseResult =>
        {
            var (r, b, a, z) = (parseResult.GetValue(requests), parseResult.GetValue(concurrency), parseResult.GetValue(minNew), parseResult.GetValue(maxNew));
            if (r < 1)
                return Fail("--requests must be at least 1");
            if (b < 1)
                return Fail("--concurrency must be at least 1");
            if (a < 1)
                return Fail("--min-new-tokens must be at least 1");
            if (z < a)
                return Fail("--max-new-tokens must be at least --min-new-tokens");
            var t = parseResult.GetValue(threads);
            if (t is < 1)
                return Fail("--threads must be at least 1");
            if (t is > 0)
                set_num_threads(t.Value);
            // A folder, a hub-cache snapshot or repo folder, or hf:org/name: one line naming what was looked for, when missing.
            var folder = ModelArgument.Resolve(parseResult.GetValue(model)!);
            var (causalLm, used) = DecodeModels.Load(folder, parseResult.GetValue(dtype)!);
            using (causalLm)
            {
                var batching = parseResult.GetValue(staticBatching) ? BatchingMode.Static : BatchingMode.Continuous;
                var threadCount = get_num_threads();
                var result = RolloutBenchmark.Run(causalLm, r, b, a, z, threadCount, parseResult.GetValue(seed), DecodeModels.PrecisionOf(used), batching);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    tokens_per_second = result.TokensPerSecond,
                    uniform_tokens_per_second = result.UniformTokensPerSecond,
                    efficiency = result.Efficiency,
                    requests = r,
                    concurrency = b,
                    min_new_tokens = a,
                    max_new_tokens = z,
                    mean_new_tokens = result.MeanNewTokens,
                    tokens = result.Tokens,
                    seconds = result.Seconds,
                    uniform_seconds = result.UniformSeconds,
                    batching = batching == BatchingMode.Static ? "static" : "continuous",
                    prompt_len = RolloutBenchmark.PromptLength,
                    threads = threadCount,
                    seed = parseResult.GetValue(seed),
                    engine = result.Engine,
                    dtype = result.Dtype,
                    parameters = causalLm.ParameterCount,
                }, Json));
            }
            return 0;
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
