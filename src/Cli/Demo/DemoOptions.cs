using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Cli.Demo;

/// <summary>The options <c>pruner demo</c> and <c>pruner ablate</c> share, and their translation into <see cref="DemoSettings"/>.</summary>
internal sealed class DemoOptions
{
    private static readonly DemoSettings Defaults = new() { OutputDirectory = "." };

    public Option<string> Output { get; } = new("--output") { Description = "Folder for report.json, report.md, report.html and charts/.", Required = true };
    public Option<string> Store { get; } = Commands.CliOptions.Store();
    public Option<int> TrainProblems { get; } = Positive("--train-problems", "Training problems (synthetic train split).", Defaults.TrainProblems);
    public Option<int> EvalProblems { get; } = Positive("--eval-problems", "Held-out evaluation problems (synthetic test split).", Defaults.EvalProblems);
    public Option<int> Samples { get; } = Positive("--samples", "K: solutions pre-sampled per training problem.", Defaults.SamplesPerProblem);
    public Option<int> TrainSamples { get; } = new("--train-samples") { Description = "Samples per problem that go into training (0 = all K; the authors' code uses 2).", DefaultValueFactory = _ => Defaults.TrainingSamplesPerProblem };
    public Option<int> MaxNewTokens { get; } = Positive("--max-new-tokens", "Token limit for sampling and evaluation.", Defaults.MaxNewTokens);
    public Option<int> Epochs { get; } = Positive("--epochs", "Training epochs.", Defaults.Epochs);
    public Option<int> BatchSize { get; } = Positive("--batch-size", "Sequences per optimizer step.", Defaults.BatchSize);
    public Option<double> LearningRate { get; } = new("--learning-rate") { Description = "Peak learning rate of every method (default: each method's tuned pick, else this).", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<string> Ratio { get; } = new("--ratio") { Description = "PPO ratio granularity: token (the paper) or sequence (the authors' code).", DefaultValueFactory = _ => SettingNames.Of(Defaults.RatioGranularity) };
    public Option<double> ClipEpsilon { get; } = new("--clip-epsilon") { Description = "PPO clip range ε: ratios outside [1−ε, 1+ε] stop pulling (O1-Pruner only).", DefaultValueFactory = _ => Defaults.ClipEpsilon };
    public Option<string> Advantage { get; } = new("--advantage") { Description = "How R_LH becomes the advantage: raw (the paper's equation), standardised (over the training set, the authors' code) or batch (per optimizer step).", DefaultValueFactory = _ => SettingNames.Of(Defaults.Advantage) };
    public Option<int> ShardSize { get; } = Positive("--shard-size", "Training problems per sampling shard.", Defaults.ShardSize);
    public Option<int> PilotProblems { get; } = new("--pilot-problems") { Description = "Problems in the length-disharmony pilot (0 = skip it).", DefaultValueFactory = _ => Defaults.PilotProblems };
    public Option<int> PilotSamples { get; } = Positive("--pilot-samples", "Samples per pilot problem.", Defaults.PilotSamples);
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of sampling and training.", DefaultValueFactory = _ => Defaults.Seed };
    public Option<string[]> Set { get; } = new("--set") { Description = "Extra configuration key=value (e.g. Trainer:WarmupRatio=0.1), repeatable.", AllowMultipleArgumentsPerToken = true };
    public Option<bool> Verbose { get; } = Commands.CliOptions.Verbose();
    public Option<int> OnlineSteps { get; } = Positive("--online-steps", "Online methods (GRPO): policy updates per run.", Defaults.OnlineSteps);
    public Option<int> ProblemsPerStep { get; } = Positive("--problems-per-step", "Online methods: problems per policy update (G = --samples solutions each).", Defaults.ProblemsPerStep);
    public Option<string> OnlineRewards { get; } = new("--online-rewards")
    {
        Description = $"Online methods: one run per length reward, comma-separated subset of {string.Join(", ", LengthRewardNames.All)}.",
        DefaultValueFactory = _ => string.Join(',', Defaults.OnlineRewards),
    };
    public Option<int> LengthTarget { get; } = Positive("--length-target", "Target length / length limit in tokens of the rewards that need one (l1max, thinkprune).", Defaults.LengthTarget);
    public Option<string> Task { get; } = new("--task") { Description = "Synthetic task of the built-in model: v1, or v2 (first-pass slips that re-checks fix, more on harder problems).", DefaultValueFactory = _ => "v1" };

    public DemoOptions()
    {
        // The contract's enums: a value the demo accepts is one a submitted run is accepted with.
        Ratio.AcceptOnlyFromAmong(SettingNames.All<RatioGranularity>());
        Task.AcceptOnlyFromAmong("v1", "v2");
        Advantage.AcceptOnlyFromAmong(SettingNames.All<AdvantageMode>());
        LearningRate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is <= 0 or > 1)
            {
                r.AddError("--learning-rate: must be in (0, 1]");
            }
        });
        ClipEpsilon.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and < 1))
            {
                r.AddError("--clip-epsilon: must be greater than 0 and less than 1");
            }
        });
        foreach (var option in new[] { PilotProblems, TrainSamples })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 0)
                {
                    r.AddError($"{option.Name}: must be 0 or more");
                }
            });
        }
        OnlineRewards.Validators.Add(r =>
        {
            var names = ParseRewards(r.GetValueOrDefault<string>() ?? "");
            if (names.Length == 0 || names.FirstOrDefault(n => !LengthRewardNames.All.Contains(n)) is { } unknown)
            {
                r.AddError($"--online-rewards: {(names.Length == 0 ? "name at least one" : $"'{names.First(n => !LengthRewardNames.All.Contains(n))}' is unknown")}; allowed: {string.Join(", ", LengthRewardNames.All)}");
            }
        });
        Set.Validators.Add(r =>
        {
            foreach (var pair in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!pair.Contains('=') || pair.StartsWith('='))
                {
                    r.AddError($"--set: '{pair}' is not key=value");
                }
            }
        });
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Output, Store, TrainProblems, EvalProblems, Samples, TrainSamples, MaxNewTokens, Epochs, BatchSize, LearningRate, Ratio, ClipEpsilon, Advantage, ShardSize, PilotProblems, PilotSamples, Seed, Set, Verbose, Task, OnlineSteps, ProblemsPerStep, OnlineRewards, LengthTarget })
        {
            command.Options.Add(option);
        }
    }

    public DemoSettings Read(ParseResult parse) => new()
    {
        OutputDirectory = parse.GetValue(Output)!,
        StoreRoot = parse.GetValue(Store)!,
        TrainProblems = parse.GetValue(TrainProblems),
        EvalProblems = parse.GetValue(EvalProblems),
        SamplesPerProblem = parse.GetValue(Samples),
        TrainingSamplesPerProblem = parse.GetValue(TrainSamples),
        MaxNewTokens = parse.GetValue(MaxNewTokens),
        Epochs = parse.GetValue(Epochs),
        BatchSize = parse.GetValue(BatchSize),
        LearningRate = parse.GetValue(LearningRate),
        // An explicit --learning-rate is for every method; without it each method trains at its shipped pick.
        MethodLearningRates = parse.GetResult(LearningRate) is { Implicit: false } ? new Dictionary<string, double>() : Defaults.MethodLearningRates,
        Tuning = parse.GetResult(LearningRate) is { Implicit: false } ? "not tuned: --learning-rate for every method" : Defaults.Tuning,
        RatioGranularity = SettingNames.Parse<RatioGranularity>(parse.GetValue(Ratio)) ?? Defaults.RatioGranularity,
        ClipEpsilon = parse.GetValue(ClipEpsilon),
        Advantage = SettingNames.Parse<AdvantageMode>(parse.GetValue(Advantage)) ?? Defaults.Advantage,
        ShardSize = parse.GetValue(ShardSize),
        PilotProblems = parse.GetValue(PilotProblems),
        PilotSamples = parse.GetValue(PilotSamples),
        Seed = parse.GetValue(Seed),
        Verbose = parse.GetValue(Verbose),
        TaskVersion = parse.GetValue(Task) == "v2" ? 2 : 1,
        OnlineSteps = parse.GetValue(OnlineSteps),
        ProblemsPerStep = parse.GetValue(ProblemsPerStep),
        OnlineRewards = ParseRewards(parse.GetValue(OnlineRewards) ?? ""),
        LengthTarget = parse.GetValue(LengthTarget),
        Configuration = (parse.GetValue(Set) ?? []).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]),
    };

    private static string[] ParseRewards(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).Distinct().ToArray();

    /// <summary>Registered method keys, comma-separated; an unknown one throws an <see cref="ArgumentException"/> naming the allowed keys.</summary>
    public static PruningMethod[] ParseMethods(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(name => MethodRegistry.Default[new PruningMethod(name)].Key).Distinct().ToArray();

    private static Option<int> Positive(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError($"{name}: must be 1 or more");
            }
        });
        return option;
    }
}
