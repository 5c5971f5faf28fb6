using System.Globalization;
using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// What <c>pruner demo</c> and <c>pruner ablate</c> run. The defaults are the full demo on the built-in model;
/// the end-to-end test shrinks them.
/// </summary>
public sealed record DemoSettings
{
    /// <summary>Solutions sampled per evaluation problem (temperature 1): accuracy and length are means over them.</summary>
    public const int EvalSamplesPerProblem = 4;

    public required string OutputDirectory { get; init; }
    public string StoreRoot { get; init; } = "./.pruner/store";
    public int TrainProblems { get; init; } = 256;
    public int EvalProblems { get; init; } = 200;
    public int SamplesPerProblem { get; init; } = 8;
    public int TrainingSamplesPerProblem { get; init; }
    public int MaxNewTokens { get; init; } = 384;
    public int Epochs { get; init; } = 2;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 2e-4;
    public double Lambda { get; init; } = 2.0;
    public RatioGranularity RatioGranularity { get; init; } = RatioGranularity.Sequence;
    public double ClipEpsilon { get; init; } = 0.2;
    public AdvantageMode Advantage { get; init; } = AdvantageMode.Raw;
    public int ShardSize { get; init; } = 64;
    public int Seed { get; init; } = 1234;
    /// <summary>The methods the demo compares, in this order; default: every registered method.</summary>
    public IReadOnlyList<PruningMethod> Methods { get; init; } = MethodRegistry.Default.All.Select(m => m.Key).ToList();
    public int PilotProblems { get; init; } = 32;
    public int PilotSamples { get; init; } = 32;
    public bool Verbose { get; init; }
    /// <summary>Extra host configuration (e.g. Trainer:*, Eval:*), applied over the embedded defaults.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    public StartPruningRun RunFor(string runId, PruningMethod method, double lambda) => new()
    {
        RunId = runId,
        Method = method,
        BaseModel = "builtin",
        TrainingDataset = "synthetic",
        EvaluationDatasets = ["synthetic"],
        TrainingProblems = TrainProblems,
        EvaluationProblems = EvalProblems,
        SamplesPerProblem = SamplesPerProblem,
        TrainingSamplesPerProblem = TrainingSamplesPerProblem,
        Lambda = lambda,
        RatioGranularity = RatioGranularity,
        ClipEpsilon = ClipEpsilon,
        Advantage = Advantage,
        Epochs = Epochs,
        LearningRate = LearningRate,
        BatchSize = BatchSize,
        MaxNewTokens = MaxNewTokens,
        ShardSize = ShardSize,
        Seed = Seed,
    };

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["model"] = "builtin (the built-in long-thought model)",
        ["training"] = F($"synthetic train split, {TrainProblems} problems × K={SamplesPerProblem} samples, {(TrainingSamplesPerProblem == 0 ? "all" : TrainingSamplesPerProblem.ToString(CultureInfo.InvariantCulture))} per problem trained, {Epochs} epoch(s), batch {BatchSize}, lr {LearningRate}, ratio {SettingNames.Of(RatioGranularity)}, advantage {SettingNames.Of(Advantage)}, ε={ClipEpsilon}"),
        ["evaluation"] = F($"synthetic test split, first {EvalProblems} problems × {EvalSamplesPerProblem} samples at temperature 1, max {MaxNewTokens} new tokens"),
        ["store"] = Path.GetFullPath(StoreRoot),
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
