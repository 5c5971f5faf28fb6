using System.Globalization;
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
    /// <summary>Peak learning rate of a method without its own entry in <see cref="MethodLearningRates"/>.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>
    /// Per-method peak learning rates (method key → lr), picked by <c>pruner tune</c> on the validation split; a method
    /// not listed trains at <see cref="LearningRate"/>. The defaults are the shipped picks (docs/benchmarks.md, "Fair tuning").
    /// </summary>
    public IReadOnlyDictionary<string, double> MethodLearningRates { get; init; } = ShippedPicks.LearningRates;

    /// <summary>DPO's β (host configuration <c>Trainer:DpoBeta</c>; a <c>--set</c> of that key wins); null keeps the trainer's default.</summary>
    public double? DpoBeta { get; init; } = ShippedPicks.DpoBeta;

    /// <summary>Where the per-method settings come from, for the report (grid and pick).</summary>
    public string Tuning { get; init; } = ShippedPicks.Description;

    /// <summary>Synthetic task version of the built-in model (1 or 2): trained on it when absent, checked when cached.</summary>
    public int TaskVersion { get; init; } = 1;

    /// <summary>Evaluation set of the runs: the synthetic test split, or <c>synthetic-validation</c> when tuning.</summary>
    public string EvaluationDataset { get; init; } = "synthetic";
    public double Lambda { get; init; } = 2.0;
    public RatioGranularity RatioGranularity { get; init; } = RatioGranularity.Sequence;
    public double ClipEpsilon { get; init; } = 0.2;
    public AdvantageMode Advantage { get; init; } = AdvantageMode.Raw;
    public int ShardSize { get; init; } = 64;
    public int Seed { get; init; } = 1234;
    /// <summary>The methods the demo compares, in this order; default: every registered method.</summary>
    public IReadOnlyList<PruningMethod> Methods { get; init; } = MethodRegistry.Default.All.Select(m => m.Key).ToList();
    /// <summary>Rounds of the extra iterated O1-Pruner run (1 = none: only the paper's one-round run).</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>The iterated run's <c>baseline</c>: previous (each round prunes its predecessor) or original.</summary>
    public RoundBaseline Baseline { get; init; } = RoundBaseline.Previous;
    /// <summary>Online methods (GRPO): policy updates per run.</summary>
    public int OnlineSteps { get; init; } = 16;
    /// <summary>Online methods: problems per update (G = <see cref="SamplesPerProblem"/> samples each).</summary>
    public int ProblemsPerStep { get; init; } = 16;
    /// <summary>Online methods: one run per length reward, in this order (keys <c>grpo-{reward}</c>).</summary>
    public IReadOnlyList<string> OnlineRewards { get; init; } = [LengthRewardNames.Kimi];
    /// <summary>The target length / length limit of the rewards that need one (l1max, thinkprune), in tokens.</summary>
    public int LengthTarget { get; init; } = 32;
    public int PilotProblems { get; init; } = 32;
    public int PilotSamples { get; init; } = 32;
    public bool Verbose { get; init; }
    /// <summary>Extra host configuration (e.g. Trainer:*, Eval:*), applied over the embedded defaults.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>An online method's run with length reward <paramref name="reward"/>.</summary>
    public StartPruningRun OnlineRunFor(string runId, PruningMethod method, string reward) => RunFor(runId, method, Lambda) with
    {
        OnlineSteps = OnlineSteps,
        ProblemsPerStep = ProblemsPerStep,
        LengthReward = reward,
        LengthTarget = LengthRewardNames.NeedingTarget.Contains(reward) ? LengthTarget : null,
    };

    public StartPruningRun RunFor(string runId, PruningMethod method, double lambda) => new()
    {
        RunId = runId,
        Method = method,
        BaseModel = "builtin",
        TrainingDataset = "synthetic",
        EvaluationDatasets = [EvaluationDataset],
        TrainingProblems = TrainProblems,
        EvaluationProblems = EvalProblems,
        SamplesPerProblem = SamplesPerProblem,
        TrainingSamplesPerProblem = TrainingSamplesPerProblem,
        Lambda = lambda,
        RatioGranularity = RatioGranularity,
        ClipEpsilon = ClipEpsilon,
        Advantage = Advantage,
        Epochs = Epochs,
        LearningRate = LearningRateOf(method),
        BatchSize = BatchSize,
        MaxNewTokens = MaxNewTokens,
        ShardSize = ShardSize,
        Seed = Seed,
    };

    public double LearningRateOf(PruningMethod method) => MethodLearningRates.GetValueOrDefault(method.Key, LearningRate);

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["model"] = F($"builtin (the built-in long-thought model, synthetic task v{TaskVersion})"),
        ["training"] = F($"synthetic train split, {TrainProblems} problems × K={SamplesPerProblem} samples, {(TrainingSamplesPerProblem == 0 ? "all" : TrainingSamplesPerProblem.ToString(CultureInfo.InvariantCulture))} per problem trained, {Epochs} epoch(s), batch {BatchSize}, lr {DescribeLearningRates()}, ratio {SettingNames.Of(RatioGranularity)}, advantage {SettingNames.Of(Advantage)}, ε={ClipEpsilon}"),
        ["online"] = F($"{OnlineSteps} updates × {ProblemsPerStep} problems × G={SamplesPerProblem}, rewards {string.Join(", ", OnlineRewards)} (length target {LengthTarget} where one is needed)"),
        ["evaluation"] = F($"{(EvaluationDataset == "synthetic" ? "synthetic test split" : EvaluationDataset)}, first {EvalProblems} problems × {EvalSamplesPerProblem} samples at temperature 1, max {MaxNewTokens} new tokens"),
        ["tuning"] = Tuning,
        ["store"] = Path.GetFullPath(StoreRoot),
    };

    private string DescribeLearningRates() => MethodLearningRates.Count == 0
        ? F($"{LearningRate}")
        : string.Join(", ", Methods.Where(m => MethodRegistry.Default[m].Trains).Select(m => F($"{m.Key} {LearningRateOf(m):0.#######}")));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
