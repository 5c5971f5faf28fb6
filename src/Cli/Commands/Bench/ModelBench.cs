using PrunerPipeline.Model;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary>
/// What every benchmark of a model takes and does first: <c>--model</c>, <c>--threads</c> and (for decoding) <c>--dtype</c>;
/// then set the threads and load the model. One place for the order (threads before the load, so the load's own
/// kernels run at the asked-for width) and for the disposal of what was loaded.
/// </summary>
internal sealed class ModelBench
{
    private ModelBench(string threadsDescription, bool withDtype)
    {
        Threads = BenchOutput.ThreadsOption(threadsDescription);
        Dtype = withDtype ? BenchOutput.DtypeOption() : null;
    }

    public Option<string> Model { get; } = BenchOutput.ModelOption();

    public Option<int?> Threads { get; }

    /// <summary><c>--dtype</c> (auto, bf16, f16, f32), for the decoding benchmarks; the others load float32.</summary>
    public Option<string>? Dtype { get; }

    /// <summary>A model benchmark in float32 (training, log-probs, profiles).</summary>
    public static ModelBench Float32(string threadsDescription = "Intra-op threads (default: libtorch's).") => new(threadsDescription, withDtype: false);

    /// <summary>A decoding benchmark: the model in the <c>--dtype</c> asked for.</summary>
    public static ModelBench Decoding(string threadsDescription = "Intra-op threads (default: libtorch's).") => new(threadsDescription, withDtype: true);

    /// <summary>A command with these options first, then <paramref name="options"/>.</summary>
    public Command Command(string name, string description, params Option[] options)
    {
        var command = new Command(name, description) { Model, Threads };
        if (Dtype is not null)
            command.Options.Add(Dtype);
        foreach (var option in options)
            command.Options.Add(option);
        return command;
    }

    /// <summary>Applies <c>--threads</c>, then loads <c>--model</c> (a miss is one line naming what was looked for).</summary>
    public Loaded Load(ParseResult parseResult)
    {
        var threads = BenchOutput.ApplyThreads(parseResult.GetValue(Threads));
        var reference = parseResult.GetValue(Model)!;
        var (model, dtype) = BenchOutput.LoadModel(reference, Dtype is null ? "f32" : parseResult.GetValue(Dtype)!);
        return new Loaded(model, dtype, threads, reference);
    }

    /// <summary>The loaded model (disposed with this, unless something that owns it takes it), its dtype name and the threads in force.</summary>
    public sealed record Loaded(CausalLM Model, string Dtype, int Threads, string Reference) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }
}
