using PrunerPipeline.Cli.Demo;
using PrunerPipeline.Contracts;
using PrunerPipeline.LongThought.Builtin;
using PrunerPipeline.TestSupport;
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
        var store = Path.Combine(folder.Path, "store");
        await BuiltinModel.EnsureAsync(Path.Combine(store, "models", "builtin"), ReducedModel);
        var settings = new DemoSettings
        {
            OutputDirectory = Path.Combine(folder.Path, "out"),
            StoreRoot = store,
            TrainProblems = TrainProblems,
            EvalProblems = 24,
            SamplesPerProblem = 4,
            MaxNewTokens = 160,
            Epochs = 2,
            LearningRate = LearningRate,
            MethodLearningRates = new Dictionary<string, double>(),
            ShardSize = 16,
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

    private const int TrainProblems = 48;
    private const double LearningRate = 3e-4;

    private static BuiltinModelOptions ReducedModel { get; } = new() { Steps = 400, ValidationEvery = 200, AccuracyProblems = 0 };
}
