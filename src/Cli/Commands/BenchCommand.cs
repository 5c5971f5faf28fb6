using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using PrunerPipeline.Model;
using PrunerPipeline.Training.Benchmarks;
using PrunerPipeline.Training.Loop;
using static TorchSharp.torch;
using Generator = PrunerPipeline.Model.Generator;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner bench generate|train|matmul|make-model</c>: throughput figures of this machine, each printed as ONE JSON
/// line so scripts and outside checks can read them (docs/benchmarks.md is written from these).
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var command = new Command("bench", "Measure decoding, training and matmul throughput (one JSON line each).");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(Train());
        command.Subcommands.Add(LogProbs());
        command.Subcommands.Add(Memory());
        command.Subcommands.Add(Matmul());
        command.Subcommands.Add(Bench.MakeModel.Create());
        command.Subcommands.Add(Profile());
        command.Subcommands.Add(Bench.Rollouts.Create());
        return command;
    }

    private static Command Generate()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json + safetensors).", Required = true };
        var batch = new Option<int>("--batch") { Description = "Sequences decoded together.", Required = true };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens generated per sequence (no early stop).", Required = true };
        var promptLength = new Option<int>("--prompt-len") { Description = "Random prompt length.", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: libtorch's)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute the whole sequence every step (the KV cache's baseline)." };
        var engine = new Option<string>("--engine")
        {
            Description = "auto (managed when it can: KV cache on a CPU float32/bf16/f16 model), torch or managed.",
            DefaultValueFactory = _ => "auto",
        };
        engine.AcceptOnlyFromAmong("auto", "torch", "managed");
        var dtype = new Option<string>("--dtype") { Description = "Weights: auto (the checkpoint's own), bf16, f16 or f32.", DefaultValueFactory = _ => "auto" };
        dtype.AcceptOnlyFromAmong(PrunerPipeline.Model.Benchmarks.DecodeModels.DtypeNames);
        var command = new Command("generate", "Greedy decoding tokens/s: one warm-up pass, then one timed pass.") { model, batch, newTokens, promptLength, threads, noCache, engine, dtype };
        command.SetAction(parseResult =>
        {
            var (b, n, p) = (parseResult.GetValue(batch), parseResult.GetValue(newTokens), parseResult.GetValue(promptLength));
            if (b < 1 || n < 1 || p < 1)
                return Fail("--batch, --new-tokens and --prompt-len must be at least 1");
            var t = ApplyThreads(parseResult.GetValue(threads));
            // A folder, a hub-cache snapshot or repo folder, or hf:org/name: one line naming what was looked for, when missing.
            var folder = ModelArgument.Resolve(parseResult.GetValue(model)!);
            var (causalLm, usedDtype) = PrunerPipeline.Model.Benchmarks.DecodeModels.Load(folder, parseResult.GetValue(dtype)!);
            using var loaded = causalLm;
            var random = new Random(7);
            var prompts = Enumerable.Range(0, b).Select(_ => Enumerable.Range(0, p).Select(_ => random.Next(causalLm.Config.VocabSize)).ToArray()).ToArray();
            var requested = Enum.Parse<DecodeEngine>(parseResult.GetValue(engine)!, ignoreCase: true);
            var options = new SamplingOptions
            {
                MaxNewTokens = n, Temperature = 0, UseKvCache = !parseResult.GetValue(noCache), Engine = requested, EngineThreads = t,
                Weights = PrunerPipeline.Model.Benchmarks.DecodeModels.PrecisionOf(usedDtype),
            };
            if (usedDtype != "f32" && (requested == DecodeEngine.Torch || !options.UseKvCache))
                return Fail("--dtype bf16/f16 decodes on the managed engine only (with the KV cache): use --dtype f32 for the torch engine");
            if (requested == DecodeEngine.Managed && !options.UseKvCache)
                return Fail("--engine managed needs the KV cache (drop --no-cache)");
            var used = requested == DecodeEngine.Torch || !options.UseKvCache || !PrunerPipeline.Model.Inference.ManagedDecoder.Supports(causalLm, out _) ? "torch" : "managed";
            Generator.Generate(causalLm, prompts, options);
            var clock = Stopwatch.StartNew();
            var generated = Generator.Generate(causalLm, prompts, options);
            var seconds = clock.Elapsed.TotalSeconds;
            var tokens = generated.Sum(g => g.TokenIds.Length);
            Print(new
            {
                tokens_per_second = tokens / seconds, seconds, batch = b, new_tokens = n, prompt_len = p, threads = t, kv_cache = options.UseKvCache,
                parameters = causalLm.ParameterCount, engine = used, dtype = usedDtype,
            });
            return 0;
        });
        return command;
    }

    private static Command Train()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json + safetensors).", Required = true };
        var batch = new Option<int>("--batch") { Description = "Sequences per optimiser step.", Required = true };
        var sequenceLength = new Option<int>("--seq-len") { Description = "Tokens per sequence.", Required = true };
        var steps = new Option<int>("--steps") { Description = "Measured steps (one more runs first as a warm-up).", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: libtorch's)." };
        var command = new Command("train", "Forward + backward + AdamW on random data: tokens/s, peak memory and MFU against `bench matmul`.") { model, batch, sequenceLength, steps, threads };
        command.SetAction(parseResult =>
        {
            var (b, s, n) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength), parseResult.GetValue(steps));
            if (b < 1 || s < 2 || n < 1)
                return Fail("--batch and --steps must be at least 1, --seq-len at least 2");
            var t = ApplyThreads(parseResult.GetValue(threads));
            var causalLm = LoadModel(parseResult.GetValue(model)!);
            if (causalLm is null)
                return 2;
            using var policy = new CausalLmPolicy(causalLm);
            var config = causalLm.Config;
            var parameters = causalLm.ParameterCount;
            // 6·N counts matmul weights: the input embedding is a lookup, unless it doubles as the (tied) LM head.
            var matmulParameters = config.TieWordEmbeddings ? parameters : parameters - (long)config.VocabSize * config.HiddenSize;
            var work = Directory.CreateTempSubdirectory("pruner-bench-train");
            try
            {
                var result = TrainingBenchmark.Run(Path.GetFileName(parseResult.GetValue(model)!.TrimEnd('/')), policy, parameters, matmulParameters,
                    config.NumHiddenLayers, config.HiddenSize, config.VocabSize, b, 1, s - 1, n, work.FullName);
                Print(new
                {
                    tokens_per_second = result.TokensPerSecond,
                    peak_memory_mb = result.PeakResidentMiB,
                    mfu = result.Mfu,
                    achieved_gflops = result.AchievedGflops,
                    matmul_peak_gflops = result.MatmulPeakGflops,
                    seconds_per_step = result.SecondsPerStep,
                    batch = b,
                    seq_len = s,
                    steps = n,
                    threads = t,
                    parameters,
                });
            }
            finally
            {
                work.Delete(recursive: true);
            }
            return 0;
        });
        return command;
    }

    private static Command LogProbs()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json + safetensors).", Required = true };
        var batch = new Option<int>("--batch") { Description = "Sequences per pass.", Required = true };
        var sequenceLength = new Option<int>("--seq-len") { Description = "Tokens per sequence (a quarter prompt, the rest completion).", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: libtorch's)." };
        var command = new Command("logprobs", "Teacher-forced completion log-prob throughput (no gradients): one warm-up pass, then three timed.") { model, batch, sequenceLength, threads };
        command.SetAction(parseResult =>
        {
            var (b, s) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength));
            if (b < 1 || s < 2)
                return Fail("--batch must be at least 1 and --seq-len at least 2");
            var t = ApplyThreads(parseResult.GetValue(threads));
            using var causalLm = LoadModel(parseResult.GetValue(model)!);
            if (causalLm is null)
                return 2;
            var random = new Random(7);
            var promptLength = Math.Max(1, s / 4);
            int[] Random(int length) => Enumerable.Range(0, length).Select(_ => random.Next(causalLm.Config.VocabSize)).ToArray();
            var prompts = Enumerable.Range(0, b).Select(_ => Random(promptLength)).ToArray();
            var completions = Enumerable.Range(0, b).Select(_ => Random(s - promptLength)).ToArray();
            using var noGrad = no_grad();
            void Pass()
            {
                var (logProbs, mask) = TeacherForcing.CompletionLogProbs(causalLm.Module, prompts, completions);
                logProbs.Dispose();
                mask.Dispose();
            }
            Pass();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 3; i++)
                Pass();
            var seconds = clock.Elapsed.TotalSeconds / 3;
            Print(new { tokens_per_second = (double)b * s / seconds, seconds, batch = b, seq_len = s, threads = t });
            return 0;
        });
        return command;
    }

    private static Command Memory()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json + safetensors).", Required = true };
        var calls = new Option<int>("--calls") { Description = "Generate calls (batch 4, prompt 16, 32 new tokens each).", DefaultValueFactory = _ => 1000 };
        var engine = new Option<string>("--engine") { Description = "auto, torch or managed.", DefaultValueFactory = _ => "auto" };
        engine.AcceptOnlyFromAmong("auto", "torch", "managed");
        var command = new Command("memory", "Resident memory before and after many generate calls: tensor scopes must keep it flat.") { model, calls, engine };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(calls);
            if (n < 2)
                return Fail("--calls must be at least 2");
            using var causalLm = LoadModel(parseResult.GetValue(model)!);
            if (causalLm is null)
                return 2;
            var random = new Random(7);
            var prompts = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 16).Select(_ => random.Next(causalLm.Config.VocabSize)).ToArray()).ToArray();
            var requested = Enum.Parse<DecodeEngine>(parseResult.GetValue(engine)!, ignoreCase: true);
            var options = new SamplingOptions { MaxNewTokens = 32, Temperature = 1.0, Engine = requested };
            var used = requested == DecodeEngine.Torch || !PrunerPipeline.Model.Inference.ManagedDecoder.Supports(causalLm, out _) ? "torch" : "managed";
            // The first tenth warms allocators and caches up; growth is measured over the rest.
            var warm = Math.Max(1, n / 10);
            double afterWarmUp = 0;
            long allocatedAtWarmUp = 0;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                Generator.Generate(causalLm, prompts, options with { Seed = i });
                if (i == warm - 1)
                {
                    afterWarmUp = ProcessMemory.ResidentMiB();
                    allocatedAtWarmUp = GC.GetTotalAllocatedBytes(precise: true);
                }
            }
            var end = ProcessMemory.ResidentMiB();
            Print(new
            {
                calls = n, rss_after_warmup_mb = afterWarmUp, rss_end_mb = end, growth_mb = end - afterWarmUp, seconds = clock.Elapsed.TotalSeconds, engine = used,
                managed_kb_per_call = (GC.GetTotalAllocatedBytes(precise: true) - allocatedAtWarmUp) / 1024.0 / (n - warm),
            });
            return 0;
        });
        return command;
    }

    private static Command Matmul()
    {
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: libtorch's)." };
        var command = new Command("matmul", "fp32 matmul peak (GFLOP/s) and memory read bandwidth (GB/s) of this process.") { threads };
        command.SetAction(parseResult =>
        {
            var t = ApplyThreads(parseResult.GetValue(threads));
            var gflops = Enumerable.Range(0, 3).Max(_ => MatmulPeak.MeasureGflops());
            Print(new { matmul_gflops = gflops, read_bandwidth_gbps = ReadBandwidth(), threads = t });
            return 0;
        });
        return command;
    }

    private static Command Profile()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json + safetensors).", Required = true };
        var batch = new Option<int>("--batch") { Description = "Sequences decoded together.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: libtorch's)." };
        var command = new Command("profile",
            "Where a torch-engine decode step's time goes: the step (KV cache, prompt 32, 128 new tokens), the same step's weight matmuls alone, and the cost of one tiny op.")
        {
            model, batch, threads,
        };
        command.SetAction(parseResult =>
        {
            var b = parseResult.GetValue(batch);
            if (b < 1)
                return Fail("--batch must be at least 1");
            var t = ApplyThreads(parseResult.GetValue(threads));
            using var causalLm = LoadModel(parseResult.GetValue(model)!);
            if (causalLm is null)
                return 2;
            using var noGrad = no_grad();
            const int steps = 128;
            var random = new Random(7);
            var prompts = Enumerable.Range(0, b).Select(_ => Enumerable.Range(0, 32).Select(_ => random.Next(causalLm.Config.VocabSize)).ToArray()).ToArray();
            // The torch engine's step: the managed engine has no per-op dispatch to split out.
            var options = new SamplingOptions { MaxNewTokens = steps, Temperature = 0, Engine = DecodeEngine.Torch };
            Generator.Generate(causalLm, prompts, options);
            var clock = Stopwatch.StartNew();
            Generator.Generate(causalLm, prompts, options);
            var stepMs = clock.Elapsed.TotalMilliseconds / steps;

            // Every weight matrix once against a (B, in) activation: the arithmetic and weight traffic of one decode
            // step with no other op; the LM head is the embedding when tied.
            var weights = causalLm.Module.named_parameters()
                .Where(p => p.parameter.dim() == 2 && (p.name != "model.embed_tokens.weight" || causalLm.Config.TieWordEmbeddings))
                .Select(p => p.parameter).ToList();
            using var profileScope = NewDisposeScope();
            var inputs = weights.Select(w => randn(b, w.shape[1])).ToList();
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

            var small = randn(b, causalLm.Config.HiddenSize);
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
            Print(new
            {
                step_ms = stepMs,
                matmul_ms = matmulMs,
                matmul_share = matmulMs / stepMs,
                tiny_op_us = opMicroseconds,
                ops_equivalent = (stepMs - matmulMs) * 1000 / opMicroseconds,
                weight_matrices = weights.Count,
                batch = b,
                threads = t,
            });
            return 0;
        });
        return command;
    }

    /// <summary>GB/s of summing a 256 MiB float tensor (every byte read once per pass), best of several passes.</summary>
    private static double ReadBandwidth()
    {
        using var scope = NewDisposeScope();
        var data = ones(64L * 1024 * 1024);
        data.sum().Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < 8; i++)
        {
            var clock = Stopwatch.StartNew();
            data.sum().item<float>();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return data.numel() * 4.0 / best / 1e9;
    }

    private static int ApplyThreads(int? threads)
    {
        if (threads is > 0)
            set_num_threads(threads.Value);
        return get_num_threads();
    }

    private static CausalLM? LoadModel(string reference) => CausalLM.Load(ModelArgument.Resolve(reference));

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    private static void Print(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Json));
}
