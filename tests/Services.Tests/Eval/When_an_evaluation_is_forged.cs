namespace PrunerPipeline.Services.Tests.Eval;

/// <summary>
/// An EvaluateCheckpoint the saga did not issue (a local path, another run's checkpoint, another run's settings) is dropped
/// with a log line: nothing is loaded or evaluated, and no Fault is published that would end the live run it names.
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
        await eval.EvaluateFinalAsync("live", "runs/live/checkpoints/step-000001", 1,
            new StartPruningRun { RunId = "other", BaseModel = EvalHarness.BaseModel, EvaluationProblems = EvalHarness.Problems, MaxNewTokens = 128 });

        Assert.True(await eval.Harness.Consumed.Any<EvaluateCheckpoint>());
        await Task.Delay(300);
        Assert.Empty(eval.Generator.Calls);
        Assert.False(await eval.Harness.Published.Any<EvaluationCompleted>());
    }
}
