using System.Globalization;
using PrunerPipeline.Model;
using PrunerPipeline.Model.Checkpoints;
using PrunerPipeline.Model.Shapes;
using PrunerPipeline.Training.Planning;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner plan</c>: the expected peak memory of every service of a run, and whether it fits the device
/// (<see cref="MemoryPlanner"/> does the arithmetic; this command parses and prints).
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = ModelArgument.Description };
        var shape = new Option<string?>("--shape") { Description = $"Plan on paper for a published shape instead of a model on disk: {string.Join(", ", ModelShapes.Names)} (BF16)." };
        shape.AcceptOnlyFromAmong([.. ModelShapes.Names]);
        var adapter = new Option<string?>("--adapter") { Description = "lora:RANK (e.g. lora:16) for a LoRA adapter on every projection; absent = full fine-tuning." };
        var method = new Option<string>("--method") { Description = "o1pruner, sft, dpo or fastprompt (trains nothing).", DefaultValueFactory = _ => "o1pruner" };
        method.AcceptOnlyFromAmong("o1pruner", "sft", "dpo", "fastprompt");
        var batch = new Option<int>("--batch") { Description = "Training sequences per optimiser step (the run's batchSize).", DefaultValueFactory = _ => 16 };
        var seqLen = new Option<int?>("--seq-len") { Description = "Tokens per training sequence, prompt + completion (default: --prompt-tokens + --max-new-tokens)." };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Tokens of a rendered prompt.", DefaultValueFactory = _ => 160 };
        var samples = new Option<int>("--samples-per-problem") { Description = "K.", DefaultValueFactory = _ => 16 };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Completion tokens.", DefaultValueFactory = _ => 512 };
        var rolloutBatch = new Option<int>("--rollout-batch") { Description = "Sequences a rollout worker decodes together (Rollouts:BatchSize).", DefaultValueFactory = _ => 16 };
        var evalBatch = new Option<int>("--eval-batch") { Description = "Sequences evaluation decodes together (Eval:BatchSize).", DefaultValueFactory = _ => 32 };
        var checkpointing = new Option<string>("--gradient-checkpointing") { Description = "on, off, or auto (the trainer's default: on when every layer's kept activations of a micro-batch reach 1 GiB).", DefaultValueFactory = _ => "auto" };
        checkpointing.AcceptOnlyFromAmong("auto", "on", "off");
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var memoryGb = new Option<double?>("--memory-gb") { Description = "The device's memory in GB (default on the CPU: this machine's RAM; required for cuda)." };
        var microBatch = new Option<int>("--micro-batch-tokens") { Description = "The trainer's Trainer:MaxTokensPerMicroBatch.", DefaultValueFactory = _ => 4096 };
        var json = new Option<bool>("--json") { Description = "One JSON object instead of the table." };
        var command = new Command("plan", "Expected peak memory per service (weights, gradients, optimizer, activations, KV cache, engine buffers) and whether it fits.")
        {
            model, shape, adapter, method, batch, seqLen, promptTokens, samples, maxNewTokens, rolloutBatch, evalBatch, checkpointing, device, memoryGb, microBatch, json,
        };
        command.SetAction(parseResult =>
        {
            ModelConfig config;
            int storedBytes;
            string described;
            if (parseResult.GetValue(shape) is { } shapeName)
            {
                config = ModelShapes.Find(shapeName)!.Config;
                storedBytes = 2;
                described = shapeName;
            }
            else if (parseResult.GetValue(model) is { } reference)
            {
                var folder = ModelArgument.Resolve(reference);
                config = ModelConfig.Load(Path.Combine(folder, CheckpointFiles.Config));
                storedBytes = StoredBytes(folder);
                described = reference;
            }
            else
            {
                return Fail("--model or --shape: one is required");
            }

            int? rank = null;
            if (parseResult.GetValue(adapter) is { } adapterText)
            {
                var parts = adapterText.Split(':');
                if (parts.Length != 2 || parts[0] != "lora" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var r) || r < 1)
                    return Fail($"--adapter: '{adapterText}' is not lora:RANK (e.g. lora:16)");
                rank = r;
            }
            var newTokens = parseResult.GetValue(maxNewTokens);
            var prompt = parseResult.GetValue(seqLen) is int s ? s - newTokens : parseResult.GetValue(promptTokens);
            if (newTokens < 1 || prompt < 1)
                return Fail("--max-new-tokens must be at least 1 and --seq-len larger than it (or --prompt-tokens at least 1)");
            var (b, k, rb, eb) = (parseResult.GetValue(batch), parseResult.GetValue(samples), parseResult.GetValue(rolloutBatch), parseResult.GetValue(evalBatch));
            if (b < 1 || k < 1 || rb < 1 || eb < 1)
                return Fail("--batch, --samples-per-problem, --rollout-batch and --eval-batch must be at least 1");
            var deviceName = parseResult.GetValue(device)!;
            long memory;
            if (parseResult.GetValue(memoryGb) is double gb)
            {
                if (!(gb > 0))
                    return Fail("--memory-gb: must be positive");
                memory = (long)(gb * 1e9);
            }
            else if (deviceName == "cpu" && MachineMemory() is long total)
            {
                memory = total;
            }
            else
            {
                return Fail("--memory-gb: required for --device cuda (e.g. 80 or 141)");
            }
            var checkpointingMode = parseResult.GetValue(checkpointing)!;
            var microBatchTokens = Math.Max(1, parseResult.GetValue(microBatch));
            var inputs = new PlanInputs(config, storedBytes, rank, parseResult.GetValue(method) != "fastprompt", b, prompt, newTokens, k, rb, eb,
                checkpointingMode == "on" || (checkpointingMode == "auto" && MemoryPlanner.WantsGradientCheckpointing(config, prompt + newTokens, b, microBatchTokens)),
                deviceName, memory, microBatchTokens);
            var plan = MemoryPlanner.Plan(inputs);
            if (parseResult.GetValue(json))
                PrintJson(plan, described);
            else
                PrintTable(plan, described);
            return 0;
        });
        return command;
    }

    private static int StoredBytes(string folder)
    {
        var first = CheckpointFiles.WeightMap(folder).Values.First();
        using var reader = new SafetensorsReader(first);
        return reader.Entries.Values.All(e => e.Dtype is "BF16" or "F16") ? 2 : 4;
    }

    /// <summary>MemTotal of /proc/meminfo, in bytes.</summary>
    private static long? MachineMemory()
    {
        const string file = "/proc/meminfo";
        if (!File.Exists(file))
            return null;
        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value * 1024 : null;
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F2", CultureInfo.InvariantCulture);

    private static void PrintTable(MemoryPlan plan, string model)
    {
        var i = plan.Inputs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model}: {plan.Parameters / 1e9:F3} B parameters, stored {i.StoredBytesPerParameter * 8}-bit; {(i.LoraRank is int r ? $"LoRA r={r}" : "full fine-tuning")}, " +
            $"batch {i.TrainBatch} × {i.PromptTokens}+{i.MaxNewTokens} tokens, K={i.SamplesPerProblem}; {i.Device}, {Gb(i.MemoryBytes)} GB"));
        Console.WriteLine($"{"service",-11} {"weights",8} {"grads",8} {"optim",8} {"activ",8} {"kv",8} {"engine",8} {"runtime",8} {"peak GB",8}  fits");
        foreach (var s in plan.Services.Append(plan.Embedded))
        {
            Console.WriteLine($"{s.Service,-11} {Gb(s.Weights),8} {Gb(s.Gradients),8} {Gb(s.Optimizer),8} {Gb(s.Activations),8} {Gb(s.KvCache),8} {Gb(s.EngineBuffers),8} {Gb(s.Runtime),8} {Gb(s.Peak),8}  {(plan.Fits(s) ? "yes" : "NO")}  {s.Notes}");
        }
    }

    private static void PrintJson(MemoryPlan plan, string model)
    {
        object Service(ServicePlan s) => new
        {
            service = s.Service, weights_bytes = s.Weights, gradients_bytes = s.Gradients, optimizer_bytes = s.Optimizer, activations_bytes = s.Activations,
            kv_cache_bytes = s.KvCache, engine_buffers_bytes = s.EngineBuffers, runtime_bytes = s.Runtime, peak_bytes = s.Peak, fits = plan.Fits(s), notes = s.Notes,
        };
        var i = plan.Inputs;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model, parameters = plan.Parameters, trainable_parameters = plan.TrainableParameters, stored_bytes_per_parameter = i.StoredBytesPerParameter,
            lora_rank = i.LoraRank, batch = i.TrainBatch, prompt_tokens = i.PromptTokens, max_new_tokens = i.MaxNewTokens, samples_per_problem = i.SamplesPerProblem,
            gradient_checkpointing = i.GradientCheckpointing, device = i.Device, memory_bytes = i.MemoryBytes,
            services = plan.Services.Select(Service).ToArray(), embedded = Service(plan.Embedded),
        }));
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
