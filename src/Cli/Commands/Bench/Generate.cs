using PrunerPipeline.Model;
using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench generate</c>: greedy decoding tokens/s (<see cref="GenerateBenchmark"/>).</summary>
internal static class Generate
{
    public static Command Create()
    {
        var bench = ModelBench.Decoding();
        var batch = BenchOutput.Count("--batch", "Sequences decoded together.");
        var newTokens = BenchOutput.Count("--new-tokens", "Tokens generated per sequence (no early stop).");
        var promptLength = BenchOutput.Count("--prompt-len", "Random prompt length.");
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute the whole sequence every step (the KV cache's baseline)." };
        var engine = BenchOutput.EngineOption("auto (managed when it can: KV cache on a CPU float32/bf16/f16 model), torch or managed.");
        var command = bench.Command("generate", "Greedy decoding tokens/s: one warm-up pass, then one timed pass.", batch, newTokens, promptLength, noCache, engine);
        command.SetAction(parseResult =>
        {
            var (b, n, p) = (parseResult.GetValue(batch), parseResult.GetValue(newTokens), parseResult.GetValue(promptLength));
            using var loaded = bench.Load(parseResult);
            var (causalLm, usedDtype, t) = (loaded.Model, loaded.Dtype, loaded.Threads);
            var requested = BenchOutput.EngineOf(parseResult.GetValue(engine)!);
            var options = new SamplingOptions
            {
                MaxNewTokens = n, Temperature = 0, UseKvCache = !parseResult.GetValue(noCache), Engine = requested, EngineThreads = t,
                Weights = DecodeModels.PrecisionOf(usedDtype),
            };
            if (usedDtype != "f32" && (requested == DecodeEngine.Torch || !options.UseKvCache))
                return BenchOutput.Fail("--dtype bf16/f16 decodes on the managed engine only (with the KV cache): use --dtype f32 for the torch engine");
            if (requested == DecodeEngine.Managed && !options.UseKvCache)
                return BenchOutput.Fail("--engine managed needs the KV cache (drop --no-cache)");
            var result = GenerateBenchmark.Run(causalLm, b, p, options);
            return BenchOutput.Print(result, new
            {
                batch = b, new_tokens = n, prompt_len = p, threads = t, kv_cache = options.UseKvCache, parameters = causalLm.ParameterCount, dtype = usedDtype,
            });
        });
        return command;
    }
}
