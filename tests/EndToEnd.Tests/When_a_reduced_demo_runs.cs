using PrunerPipeline.Training.Methods;
using PrunerPipeline.Cli.Demo;
using Xunit.Abstractions;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>
/// The demo, reduced (a built-in model trained for fewer steps, fewer problems and samples), through the real embedded
/// pipeline: the report has the documented structure and O1-Pruner's solutions are shorter than the reference's.
/// </summary>
public sealed class When_a_reduced_demo_runs(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryFolder folder = new("reduced-demo");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task The_report_compares_the_methods_and_O1_Pruner_is_shorter_than_the_reference()
    {
        var settings = await ReducedAsync("out", ReducedModel) with
        {
            TrainProblems = TrainProblems,
            EvalProblems = 24,
            Epochs = 2,
            PilotProblems = 4,
            PilotSamples = 4,
            Methods = [PruningMethod.O1Pruner, PruningMethod.FastPrompt],
        };

        var report = await new DemoRunner(settings, IStageProgress.None).RunDemoAsync(CancellationToken.None);

        output.WriteLine($"reference {report.Reference.Accuracy:P1} / {report.Reference.MeanLength:F1} tokens");
        foreach (var (key, method) in report.Methods)
            output.WriteLine($"{key} {method.Accuracy:P1} / {method.MeanLength:F1} tokens, AES {method.Aes:F2}");
        Assert.Equal(["o1pruner", "fastprompt"], report.Methods.Keys);
        Assert.InRange(report.Reference.Accuracy, 0, 1);
        Assert.True(report.Reference.MeanLength > 0);
        foreach (var method in report.Methods.Values)
        {
            Assert.NotNull(method.Aes);
            Assert.NotNull(method.AesPaper);
        }
        foreach (var stage in new[] { "builtinModel", "pilot", "runs", "o1pruner.sampling", "o1pruner.training", "o1pruner.evaluating", "total" })
            Assert.True(report.Timings.ContainsKey(stage), $"no timing for {stage}");
        Assert.NotNull(report.Pilot);
        foreach (var file in new[] { "report.json", "report.md", "report.html", "disharmony.png" })
            Assert.True(File.Exists(Path.Combine(settings.OutputDirectory, file)), file);
        Assert.True(report.Methods["o1pruner"].MeanLength < report.Reference.MeanLength,
            $"O1-Pruner {report.Methods["o1pruner"].MeanLength:F1} tokens vs reference {report.Reference.MeanLength:F1}");
    }

    [Fact]
    public async Task Iterated_O1_Pruner_runs_its_rounds_through_every_service_and_reports_each_against_the_original_reference()
    {
        // The rounds' structure, not the model's quality: the tiny built-in model (seconds to train) does.
        var settings = await StructureOnlyAsync("out-rounds") with
        {
            TrainProblems = 16,
            Epochs = 1,
            Methods = [PruningMethod.O1Pruner],
            Rounds = 2,
            Baseline = RoundBaseline.Original,
        };
        var store = settings.StoreRoot;

        var report = await new DemoRunner(settings, IStageProgress.None).RunDemoAsync(CancellationToken.None);

        foreach (var (key, method) in report.Methods)
            output.WriteLine($"{key} ({method.Label}) {method.Accuracy:P1} / {method.MeanLength:F1} tokens, AES {method.Aes:F2}");
        Assert.Equal(["o1pruner", "o1pruner-rounds2-round1", "o1pruner-rounds2"], report.Methods.Keys);
        Assert.Equal("O1-Pruner (λ=2, 2 rounds, original baseline): round 1", report.Methods["o1pruner-rounds2-round1"].Label);
        // Round 1 of the iterated run is the paper's run: the same samples, the same seed, the same training.
        Assert.Equal(report.Methods["o1pruner"].MeanLength, report.Methods["o1pruner-rounds2-round1"].MeanLength);
        Assert.Equal(report.Methods["o1pruner"].Accuracy, report.Methods["o1pruner-rounds2-round1"].Accuracy);
        // Round 2 sampled from round 1's checkpoint and trained on from it: a model of its own, reported against the original reference.
        var storeFiles = new Hosting.Artifacts.FileSystemArtifactStore(store);
        var rounds = await Hosting.Artifacts.ArtifactStoreExtensions.ReadJsonAsync<List<RoundResult>>(storeFiles, Hosting.Artifacts.ArtifactLayout.Rounds(
            Directory.GetDirectories(Path.Combine(store, "runs")).Select(Path.GetFileName).Single(n => n!.EndsWith("-x2", StringComparison.Ordinal))!), CancellationToken.None);
        Assert.Equal(2, rounds!.Count);
        Assert.Matches(@"\.round2/checkpoints/step-\d{6}$", rounds[1].Checkpoint);
        var round2Run = await Hosting.Artifacts.ArtifactStoreExtensions.ReadJsonAsync<StartPruningRun>(storeFiles, Hosting.Artifacts.ArtifactLayout.RunSpec(rounds[1].RunId), CancellationToken.None);
        Assert.Equal(rounds[0].Checkpoint, round2Run!.BaseModel);
        Assert.Equal("builtin", round2Run.ReferenceModel);
        Assert.Equal(RoundBaseline.Original, round2Run.Baseline);
        Assert.NotNull(report.Methods["o1pruner-rounds2"].Aes);
    }

    [Fact]
    public async Task Grpo_runs_one_online_run_per_reward_through_every_service_and_reports_its_sampling_cost()
    {
        // The online flow's structure on the real services and the tiny built-in model: updates sampled, scored, trained
        // one at a time from the newest version, the final version evaluated against the reference.
        var settings = await StructureOnlyAsync("out-grpo") with
        {
            Methods = [PruningMethod.O1Pruner, GrpoMethod.MethodKey],
            OnlineSteps = 4,
            ProblemsPerStep = 4,
            OnlineRewards = ["kimi", "thinkprune", "rlh", "l1max"],
            ShardSize = 2,
        };

        var report = await new DemoRunner(settings, IStageProgress.None).RunDemoAsync(CancellationToken.None);

        foreach (var (key, method) in report.Methods)
            output.WriteLine($"{key} ({method.Label}) {method.Accuracy:P1} / {method.MeanLength:F1} tokens, AES {method.Aes:F2}, {method.TrainingTokensSampled} tokens sampled");
        Assert.Equal(["o1pruner", "grpo-kimi", "grpo-thinkprune", "grpo-rlh", "grpo-l1max"], report.Methods.Keys);
        Assert.Equal("GRPO, thinkprune reward (target 32)", report.Methods["grpo-thinkprune"].Label);
        Assert.All(report.Methods.Values, m => Assert.NotNull(m.Aes));
        Assert.All(report.Methods.Values, m => Assert.True(m.TrainingTokensSampled > 0, m.Label));
        Assert.True(report.TrainingCurves.ContainsKey("grpo-kimi"));
        Assert.Equal(4, report.TrainingCurves["grpo-kimi"].Count);
        // Each online run's final checkpoint is its fourth update; versions no worker can sample from any more (with
        // maxStaleness 1: older than update − 2) are gone.
        var store = new Hosting.Artifacts.FileSystemArtifactStore(settings.StoreRoot);
        var run = Directory.GetDirectories(Path.Combine(settings.StoreRoot, "runs")).Select(Path.GetFileName).Single(n => n!.EndsWith("-grpo-kimi", StringComparison.Ordinal))!;
        Assert.True(await store.ExistsAsync(Hosting.Artifacts.ArtifactLayout.CheckpointState(Hosting.Artifacts.ArtifactLayout.Checkpoint(run, 4)), CancellationToken.None));
        Assert.False(await store.ExistsAsync(Hosting.Artifacts.ArtifactLayout.CheckpointState(Hosting.Artifacts.ArtifactLayout.Checkpoint(run, 1)), CancellationToken.None));
        // R_LH on-policy is held to the reference's pre-sampled baseline: the O1-Pruner run's.
        var rlhRun = Directory.GetDirectories(Path.Combine(settings.StoreRoot, "runs")).Select(Path.GetFileName).Single(n => n!.EndsWith("-grpo-rlh", StringComparison.Ordinal))!;
        var o1Run = Directory.GetDirectories(Path.Combine(settings.StoreRoot, "runs")).Select(Path.GetFileName).Single(n => n!.EndsWith("-o1pruner", StringComparison.Ordinal))!;
        var spec = await Hosting.Artifacts.ArtifactStoreExtensions.ReadJsonAsync<StartPruningRun>(store, Hosting.Artifacts.ArtifactLayout.RunSpec(rlhRun), CancellationToken.None);
        Assert.Equal(o1Run, spec!.BaselineRun);
        // L1-Max on the built-in task: plain prompts (its model cannot read a length instruction), the run's one target.
        var l1Run = Directory.GetDirectories(Path.Combine(settings.StoreRoot, "runs")).Select(Path.GetFileName).Single(n => n!.EndsWith("-grpo-l1max", StringComparison.Ordinal))!;
        var l1Samples = new List<Contracts.Samples.RolloutSample>();
        foreach (var file in Directory.GetFiles(Path.Combine(settings.StoreRoot, "samples", $"{l1Run}.policy-v00000", "rollouts")))
        {
            await using var stream = File.OpenRead(file);
            l1Samples.AddRange(await Contracts.Samples.SampleJsonLines.ReadAsync<Contracts.Samples.RolloutSample>(stream, file, CancellationToken.None));
        }
        Assert.NotEmpty(l1Samples);
        Assert.All(l1Samples, s =>
        {
            Assert.Null(s.LengthTarget);
            Assert.DoesNotContain("Think for maximum", s.Prompt);
        });
    }

    [Fact]
    public async Task The_length_ablation_runs_grpo_once_per_limit_and_each_run_carries_its_limit()
    {
        var settings = await OnlineAblationAsync("out-length-ablation");

        var report = await new DemoRunner(settings, IStageProgress.None).RunLengthAblationAsync([16, 48], "thinkprune", CancellationToken.None);

        Assert.Equal(["thinkprune-16", "thinkprune-48"], report.Methods.Keys);
        Assert.Equal(["GRPO, thinkprune reward (target 16)", "GRPO, thinkprune reward (target 48)"], report.Methods.Values.Select(m => m.Label));
        Assert.All(report.Methods.Values, m => Assert.NotNull(m.Aes));
    }

    [Fact]
    public async Task The_kl_ablation_runs_grpo_once_per_beta_and_each_run_carries_its_beta()
    {
        var settings = await OnlineAblationAsync("out-kl-ablation");

        var report = await new DemoRunner(settings, IStageProgress.None).RunKlAblationAsync([0, 0.1], "kimi", CancellationToken.None);

        Assert.Equal(["kimi-kl0", "kimi-kl0.1"], report.Methods.Keys);
        Assert.Equal(["GRPO, kimi reward, β 0", "GRPO, kimi reward, β 0.1"], report.Methods.Values.Select(m => m.Label));
        var store = new Hosting.Artifacts.FileSystemArtifactStore(settings.StoreRoot);
        foreach (var (result, beta) in report.Methods.Values.Zip([0.0, 0.1]))
        {
            var run = await Hosting.Artifacts.ArtifactStoreExtensions.ReadJsonAsync<StartPruningRun>(store, Hosting.Artifacts.ArtifactLayout.RunSpec(result.RunId!), CancellationToken.None);
            Assert.Equal(beta, run!.KlCoefficient);
        }
    }

    /// <summary>An online ablation's settings: two GRPO updates of four problems each on the tiny built-in model.</summary>
    private async Task<DemoSettings> OnlineAblationAsync(string output) =>
        await StructureOnlyAsync(output) with { OnlineSteps = 2, ProblemsPerStep = 4, ShardSize = 4 };

    /// <summary>
    /// For tests of a flow's structure, not of the model's quality: the tiny built-in model (seconds to train), 8 training
    /// and 8 evaluation problems, no pilot.
    /// </summary>
    private async Task<DemoSettings> StructureOnlyAsync(string output) =>
        await ReducedAsync(output, BuiltinModelOptions.Tiny) with { TrainProblems = 8, EvalProblems = 8, PilotProblems = 0 };

    /// <summary>The reduced demo's common settings over a store holding a built-in model trained with <paramref name="model"/>.</summary>
    private async Task<DemoSettings> ReducedAsync(string output, BuiltinModelOptions model)
    {
        var store = Path.Combine(folder.Path, "store");
        await BuiltinModel.EnsureAsync(Path.Combine(store, "models", "builtin"), model);
        return new DemoSettings
        {
            OutputDirectory = Path.Combine(folder.Path, output),
            StoreRoot = store,
            SamplesPerProblem = 4,
            MaxNewTokens = 160,
            LearningRate = LearningRate,
            MethodLearningRates = new Dictionary<string, double>(),
            ShardSize = 16,
        };
    }

    private const int TrainProblems = 48;
    private const double LearningRate = 3e-4;

    private static BuiltinModelOptions ReducedModel { get; } = new() { Steps = 400, ValidationEvery = 200, AccuracyProblems = 0 };
}
