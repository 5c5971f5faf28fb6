using PrunerPipeline.EvalService.Reports;
using PrunerPipeline.Orchestrator.Validation;

namespace PrunerPipeline.Services.Tests.Methods;

/// <summary>
/// Every method of the registry — the paper's four, GRPO and a throw-away one registered only here — is accepted by the
/// validator, runs through the whole pipeline with exactly the stages it declares, and appears in its run's report
/// under its key and label.
/// </summary>
public sealed class When_every_registered_method_runs
{
    [Fact]
    public async Task Each_method_validates_runs_its_declared_stages_and_appears_in_the_report()
    {
        await using var pipeline = await MethodPipelineHarness.StartAsync();
        var validator = pipeline.Get<RunValidator>();
        Assert.Contains(pipeline.Methods.All, m => m is ShortestCorrectSftMethod);
        Assert.Equal(["o1pruner", "sft", "dpo", "fastprompt", "grpo", "shortestsft"], pipeline.Methods.All.Select(m => m.Key.Key));

        foreach (var method in pipeline.Methods.All)
        {
            var run = new StartPruningRun
            {
                RunId = $"method-{method.Key.Key}",
                Method = method.Key,
                TrainingProblems = 4,
                SamplesPerProblem = 3,
                ShardSize = 2,
                EvaluationProblems = 12,
                MaxNewTokens = 16,
                Epochs = 1,
                BatchSize = 2,
                // GRPO: three policy updates of two problems each (one shard apiece), G = 3.
                OnlineSteps = method.Online ? 3 : new StartPruningRun { RunId = "defaults" }.OnlineSteps,
                ProblemsPerStep = method.Online ? 2 : new StartPruningRun { RunId = "defaults" }.ProblemsPerStep,
            };
            Assert.Empty(await validator.ValidateAsync(run, CancellationToken.None));

            await pipeline.Harness.Bus.Publish(run);
            var end = await EndOfAsync(pipeline, run.RunId);
            var completed = Assert.IsType<RunCompleted>(end);

            var report = await pipeline.Store.ReadJsonAsync<EvaluationReport>(completed.ReportBlob, CancellationToken.None);
            var row = Assert.Single(report!.Methods);
            Assert.Equal((method.Key.Key, method.Label(run)), (row.Key, row.Value.Label));
            Assert.Equal(method.Samples, pipeline.Harness.Published.Select<GenerateRollouts>().Any(m => m.Context.Message.RunId == run.RunId));
            Assert.Equal(method.Samples, pipeline.Harness.Published.Select<ScoreRollouts>().Any(m => m.Context.Message.RunId == run.RunId));
            Assert.Equal(method.Trains, pipeline.Harness.Published.Select<TrainPolicy>().Any(m => m.Context.Message.RunId == run.RunId));
            Assert.Equal(method.Trains, report.TrainingCurves.ContainsKey(method.Key.Key));
            var trained = pipeline.Harness.Published.Select<TrainPolicy>().Where(m => m.Context.Message.RunId == run.RunId).Select(m => m.Context.Message).ToList();
            if (method.Online)
            {
                // One trainer step per update, each on its own update's shard, and the final checkpoint is the last update's.
                Assert.Equal([1, 2, 3], trained.Select(t => t.Step!.Value).Distinct().Order());
                Assert.All(trained, t => Assert.Equal([ArtifactLayout.Rewards(run.RunId, t.Step!.Value - 1)], t.RewardsBlobs));
                Assert.Equal(ArtifactLayout.Checkpoint(run.RunId, 3), completed.FinalCheckpoint);
                Assert.True(completed.TrainingTokensSampled > 0);
            }
            else
            {
                Assert.All(trained, t => Assert.Null(t.Step));
            }
        }
    }

    [Fact]
    public async Task A_method_nobody_registered_is_rejected_naming_the_registered_ones()
    {
        await using var pipeline = await MethodPipelineHarness.StartAsync();

        var reasons = await pipeline.Get<RunValidator>().ValidateAsync(new StartPruningRun { RunId = "r", Method = new PruningMethod("reinforce") }, CancellationToken.None);

        Assert.Equal("method: 'reinforce' is unknown; allowed: o1pruner, sft, dpo, fastprompt, grpo, shortestsft", Assert.Single(reasons));
    }

    private static async Task<object> EndOfAsync(MethodPipelineHarness pipeline, string runId)
    {
        var deadline = DateTime.UtcNow + pipeline.Harness.TestTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (pipeline.Harness.Published.Select<RunCompleted>().FirstOrDefault(m => m.Context.Message.RunId == runId) is { } completed)
            {
                return completed.Context.Message;
            }
            if (pipeline.Harness.Published.Select<RunFaulted>().FirstOrDefault(m => m.Context.Message.RunId == runId) is { } faulted)
            {
                return faulted.Context.Message;
            }
            if (pipeline.Harness.Published.Select<RunRejected>().FirstOrDefault(m => m.Context.Message.RunId == runId) is { } rejected)
            {
                return rejected.Context.Message;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"run {runId} did not end within {pipeline.Harness.TestTimeout}");
    }
}
