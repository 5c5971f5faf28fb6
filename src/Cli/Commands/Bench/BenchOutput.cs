using PrunerPipeline.Model;
using PrunerPipeline.Model.Benchmarks;
using static TorchSharp.torch;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary>What every <c>pruner bench</c> subcommand shares: its options, loading its model, and its one output line.</summary>
internal static class BenchOutput
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Option<string> ModelOption() => new("--model") { Description = "Model folder (config.json + safetensors).", Required = true };

    /// <summary>
    /// A whole-number option of at least <paramref name="minimum"/>: required, or with <paramref name="defaultValue"/>
    /// optional. A smaller value is a parse error naming the option, before any model is loaded.
    /// </summary>
    public static Option<int> Count(string name, string description, int minimum = 1, int? defaultValue = null)
    {
        var option = new Option<int>(name) { Description = description, Required = defaultValue is null };
        if (defaultValue is { } value)
            option.DefaultValueFactory = _ => value;
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
                result.AddError($"{name}: must be at least {minimum}");
        });
        return option;
    }

    /// <summary><c>--batch</c> and <c>--seq-len</c> (at least 2 tokens): the shape of a teacher-forced batch (bench logprobs, bench train).</summary>
    public static (Option<int> Batch, Option<int> SequenceLength) TeacherForcedShape(string batchDescription, string lengthDescription) =>
        (Count("--batch", batchDescription), Count("--seq-len", lengthDescription, minimum: 2));

    public static Option<int?> ThreadsOption(string description = "Intra-op threads (default: libtorch's).") => new("--threads") { Description = description };

    public static Option<string> DtypeOption()
    {
        var dtype = new Option<string>("--dtype") { Description = "Weights: auto (the checkpoint's own), bf16, f16 or f32.", DefaultValueFactory = _ => "auto" };
        dtype.AcceptOnlyFromAmong(DecodeModels.DtypeNames);
        return dtype;
    }

    public static Option<string> EngineOption(string description)
    {
        var engine = new Option<string>("--engine") { Description = description, DefaultValueFactory = _ => "auto" };
        engine.AcceptOnlyFromAmong("auto", "torch", "managed");
        return engine;
    }

    public static DecodeEngine EngineOf(string name) => Enum.Parse<DecodeEngine>(name, ignoreCase: true);

    /// <summary>Sets libtorch's intra-op threads when asked; returns the count in force.</summary>
    public static int ApplyThreads(int? threads)
    {
        if (threads is > 0)
            set_num_threads(threads.Value);
        return get_num_threads();
    }

    /// <summary>
    /// The model of <c>--model</c> (a folder, a hub-cache snapshot or repo folder, or hf:org/name: a miss is one line
    /// naming what was looked for) in float32, or, with <paramref name="dtype"/>, in the decoding precision asked for.
    /// Returns the dtype name it holds (f32, bf16, f16).
    /// </summary>
    public static (CausalLM Model, string Dtype) LoadModel(string reference, string dtype = "f32") =>
        DecodeModels.Load(ModelArgument.Resolve(reference), dtype);

    public static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    /// <summary>
    /// The one JSON line (snake_case names: scripts and docs/benchmarks.md read these fields): what the benchmark
    /// measured (its result record, as the library names it), then the settings it ran under.
    /// </summary>
    public static int Print(object measured, object? settings = null)
    {
        var line = JsonSerializer.SerializeToNode(measured, measured.GetType(), Json)!.AsObject();
        if (settings is not null)
        {
            foreach (var (name, value) in JsonSerializer.SerializeToNode(settings, settings.GetType(), Json)!.AsObject())
                line[name] = value?.DeepClone();
        }
        Console.WriteLine(line.ToJsonString(Json));
        return 0;
    }
}
