using MassTransit.Testing;
using PrunerPipeline.Cli.Demo;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.EndToEnd.Tests;

public sealed class When_the_demo_follows_its_runs : IAsyncLifetime
{
    private readonly TemporaryFolder folder = new("demo-follow");
    private ServiceProvider provider = null!;
    private ITestHarness harness = null!;

    public async Task InitializeAsync()
    {
        provider = new ServiceCollection()
            .AddSingleton<IArtifactStore>(new FileSystemArtifactStore(folder.Path))
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetKebabCaseEndpointNameFormatter();
                bus.AddConsumer<StartPruningRunConsumer>();
            })
            .BuildServiceProvider(true);
        harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
    }

    public async Task DisposeAsync()
    {
        await harness.Stop();
        await provider.DisposeAsync();
        folder.Dispose();
    }

    private static PlannedRun Plan(PruningMethod method)
    {
        var run = new DemoSettings { OutputDirectory = "." }.RunFor($"r-{method.Key}", method, 2);
        return new(method.Key, MethodRegistry.Default[method].Label(run), run);
    }

    [Fact]
    public async Task Each_run_is_timed_per_stage_and_the_report_compares_them()
    {
        var runner = new ComparisonRunner(harness.Bus, IStageProgress.None);

        var finished = await runner.RunAllAsync([Plan(PruningMethod.O1Pruner), Plan(PruningMethod.Sft), Plan(PruningMethod.FastPrompt)], CancellationToken.None);
        var report = await ComparisonReportBuilder.BuildAsync("t", new FileSystemArtifactStore(folder.Path), finished,
            new Dictionary<string, double>(), new Dictionary<string, string>(), null, [], CancellationToken.None);

        Assert.All(finished, f => Assert.True(f.Outcome.Succeeded));
        Assert.Equal(["starting", "sampling", "training", "evaluating"], finished[0].StageSeconds.Keys);
        Assert.Equal(["o1pruner", "sft", "fastprompt"], report.Methods.Keys);
        Assert.Equal(0.75, report.Reference.Accuracy);
        // O1-Pruner: ΔL = 0.5, ΔA = 0.2 → 0.5 + 3 · 0.2 = 1.1; Fast-solving: ΔL = 0.1, ΔA = −1/15 → 0.1 − 5/15.
        Assert.Equal(1.1, report.Methods["o1pruner"].Aes!.Value, 12);
        Assert.Equal(0.1 - 5.0 / 15, report.Methods["fastprompt"].Aes!.Value, 12);
        Assert.Equal(0.1 + 3.0 / 15, report.Methods["fastprompt"].AesPaper!.Value, 12);
        Assert.Equal("o1pruner", ComparisonReportBuilder.BestByAes(report));
        Assert.Equal(["o1pruner", "sft", "fastprompt"], report.TrainingCurves.Keys);
    }

    [Fact]
    public async Task A_faulted_run_stops_the_comparison_naming_the_method_and_stage()
    {
        var runner = new ComparisonRunner(harness.Bus, IStageProgress.None);

        var error = await Assert.ThrowsAsync<DemoStageFailedException>(() =>
            runner.RunAllAsync([Plan(PruningMethod.Dpo), Plan(PruningMethod.O1Pruner)], CancellationToken.None));

        Assert.Equal("DPO / training", error.Stage);
        Assert.Contains("no preference pairs", error.Message);
        Assert.False(await harness.Consumed.Any<StartPruningRun>(c => c.Context.Message.Method == PruningMethod.O1Pruner));
    }
}
