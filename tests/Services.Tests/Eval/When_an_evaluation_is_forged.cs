namespace PrunerPipeline.Services.Tests.Eval;

/// <summary>
/// An EvaluateCheckpoint the saga did not issue (a local path, another run's checkpoint, another run's settings) is dropped
/// with a log line: nothing is loaded or evaluated, and no Fault is published that would end the live run it names.
/// One for a run the orchestrator never accepted goes to <c>_error</c> with the reason (no run is there to end).
/// </summary>
public sealed class When_an_evaluation_is_forged
{
    [Theory]
    [InlineData("/home/x/private", 1)]
    [InlineData("runs/other-run/checkpoints/step-000001", 1)]
    [InlineData("runs/live/checkpoints/step-000002", 1)]
    [InlineData("models/short", 0)]
    public async Task It_is_dropped_without_evaluating_or_faulting(string checkpoint, int step)
    {
        await using var eval = await EvalHarness.StartAsync();
        await eval.AcceptRunAsync("live");
        await eval.WriteModelAsync("runs/other-run/checkpoints/step-000001");
        await eval.WriteModelAsync("models/short");

        await eval.Harness.Bus.Publish(new EvaluateCheckpoint
        {
            RunId = "live", Checkpoint = checkpoint, Step = step, IsFinal = true,
            Run = new StartPruningRun { RunId = "live", BaseModel = EvalHarness.BaseModel, EvaluationProblems = EvalHarness.Problems, MaxNewTokens = 128 },
        });

        Assert.True(await eval.Harness.Consumed.Any<EvaluateCheckpoint>());
        await Task.Delay(300);
        Assert.Empty(eval.Generator.Calls);
        Assert.False(await eval.Harness.Published.Any<EvaluationCompleted>());
        Assert.False(await eval.Harness.Published.Any<Fault<EvaluateCheckpoint>>());
    }

    [Fact]
    public async Task Settings_of_another_run_are_dropped()
    {
        await using var eval = await EvalHarness.StartAsync();
        await eval.AcceptRunAsync("live");
        await eval.EvaluateFinalAsync("live", "runs/live/checkpoints/step-000001", 1,
            new StartPruningRun { RunId = "other", BaseModel = EvalHarness.BaseModel, EvaluationProblems = EvalHarness.Problems, MaxNewTokens = 128 });

        Assert.True(await eval.Harness.Consumed.Any<EvaluateCheckpoint>());
        await Task.Delay(300);
        Assert.Empty(eval.Generator.Calls);
        Assert.False(await eval.Harness.Published.Any<EvaluationCompleted>());
    }

    [Theory]
    [InlineData("never-accepted")]
    [InlineData("nl\n")]
    [InlineData("../../etc")]
    public async Task One_for_a_run_the_orchestrator_never_accepted_is_dropped_with_the_reason_before_anything_is_read(string runId)
    {
        await using var eval = await EvalHarness.StartAsync();
        // The run's own checkpoint is even in the store: only the missing run record stops it.
        await eval.WriteModelAsync("runs/never-accepted/checkpoints/step-000001");

        await eval.Harness.Bus.Publish(new EvaluateCheckpoint
        {
            RunId = runId, Checkpoint = $"runs/{runId}/checkpoints/step-000001", Step = 1, IsFinal = true,
            Run = new StartPruningRun { RunId = runId, BaseModel = EvalHarness.BaseModel, EvaluationProblems = EvalHarness.Problems, MaxNewTokens = 128 },
        });

        var fault = (await eval.PublishedAsync<Fault<EvaluateCheckpoint>>(1)).Single();
        Assert.Contains("EvaluateCheckpoint dropped", fault.Exceptions[0].Message);
        Assert.Equal(typeof(PrunerPipeline.Hosting.Messaging.UnknownRunException).FullName, fault.Exceptions[0].ExceptionType);
        Assert.Empty(eval.Generator.Calls);
        Assert.False(await eval.Harness.Published.Any<EvaluationCompleted>());
        Assert.False(await eval.Store.ExistsAsync(PrunerPipeline.Hosting.Artifacts.ArtifactLayout.Report("never-accepted", 1), CancellationToken.None));
    }
}
