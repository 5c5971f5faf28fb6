using System.Text.Json;
using PrunerPipeline.EvalService;
using PrunerPipeline.EvalService.Evaluation;
using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.Services.Tests.Eval;

public sealed class When_a_checkpoint_is_evaluated
{
    private static StartPruningRun Run(string runId, PruningMethod? method = null) => new()
    {
        RunId = runId,
        Method = method ?? PruningMethod.O1Pruner,
        BaseModel = EvalHarness.BaseModel,
        EvaluationProblems = EvalHarness.Problems,
        MaxNewTokens = 128,
    };

    private static EvaluateCheckpoint Checkpoint(string runId, int step, bool final = true) => new()
    {
        RunId = runId,
        Checkpoint = $"runs/{runId}/checkpoints/step-{step:D6}",
        Step = step,
        IsFinal = final,
        Run = Run(runId),
    };

    [Fact]
    public async Task The_report_compares_the_checkpoint_with_the_reference()
    {
        await using var eval = await EvalHarness.StartAsync();
        await eval.AcceptRunAsync("run-a");
        await eval.WriteModelAsync("runs/run-a/checkpoints/step-000004", """
            {"step":1,"loss":0.9,"meanReward":0.1,"meanLength":95}
            {"step":2,"loss":0.5,"meanReward":0.4,"meanLength":60}
            """);

        await eval.Harness.Bus.Publish(Checkpoint("run-a", 4));
        var completed = (await eval.PublishedAsync<EvaluationCompleted>(1)).Single();

        // Scripted: the reference misses problems 0, 4, 8 of 12 at 100 tokens; the checkpoint is right at 40 tokens.
        Assert.Equal(ArtifactLayout.Report("run-a", 4), completed.ReportBlob);
        Assert.Equal(9.0 / 12, completed.ReferenceAccuracy, 12);
        Assert.Equal(100, completed.ReferenceMeanLength, 12);
        Assert.Equal(1.0, completed.Accuracy, 12);
        Assert.Equal(40, completed.MeanLength, 12);
        // ΔL = 0.6, ΔA = (1 − 0.75) / 0.75 = 1/3 → AES = 0.6 + 3 · 1/3 = 1.6.
        Assert.Equal(1.6, completed.Aes, 12);

        var report = ReportDocuments.Parse((await eval.Store.ReadTextAsync(completed.ReportBlob, CancellationToken.None))!)!;
        var method = report.Methods["o1pruner"];
        Assert.Equal(1.6, method.AesPaper!.Value, 12);
        Assert.Equal(2.0, method.Lambda);
        Assert.Equal([1, 2], report.TrainingCurves["o1pruner"].Select(p => p.Step));
        Assert.Equal(report.Reference.ByLevel.Select(b => b.Level), method.ByLevel.Select(b => b.Level));
        foreach (var file in new[] { "report.md", "report.html", "charts/accuracy-vs-length.png", "charts/training-curves.png" })
        {
            Assert.True(await eval.Store.ExistsAsync($"runs/run-a/eval/step-000004/{file}", CancellationToken.None), file);
        }
    }

    [Fact]
    public async Task The_reference_is_generated_once_for_every_run_that_shares_it()
    {
        await using var eval = await EvalHarness.StartAsync();
        foreach (var runId in new[] { "run-a", "run-b" })
        {
            await eval.AcceptRunAsync(runId);
            await eval.WriteModelAsync($"runs/{runId}/checkpoints/step-000001");
            await eval.Harness.Bus.Publish(Checkpoint(runId, 1));
        }

        var completed = await eval.PublishedAsync<EvaluationCompleted>(2);

        Assert.Equal(2, completed.Select(c => c.RunId).Distinct().Count());
        Assert.Single(eval.Generator.Calls, c => Path.GetFileName(c.Folder) == "long");
        Assert.Equal(2, eval.Generator.Calls.Count(c => Path.GetFileName(c.Folder) == "step-000001"));
        Assert.All(completed, c => Assert.Equal(9.0 / 12, c.ReferenceAccuracy, 12));
    }

    [Fact]
    public async Task Fast_solving_evaluates_the_base_model_with_the_brief_instruction()
    {
        await using var eval = await EvalHarness.StartAsync();
        // The saga commands an evaluation of the base model itself for the Fast-solving run.
        await eval.AcceptRunAsync("fast");
        await eval.EvaluateFinalAsync("fast", "models/short", 0, Run("fast", PruningMethod.FastPrompt) with { BaseModel = "models/short" });
        var completed = (await eval.PublishedAsync<EvaluationCompleted>(1)).Single();

        Assert.Equal(40, completed.ReferenceMeanLength, 12);
        Assert.Equal(20, completed.MeanLength, 12);
        var report = ReportDocuments.Parse((await eval.Store.ReadTextAsync(completed.ReportBlob, CancellationToken.None))!)!;
        Assert.Equal(["fastprompt"], report.Methods.Keys);
        Assert.Empty(report.TrainingCurves);
    }

    [Fact]
    public async Task An_online_l1max_run_is_asked_for_its_length_target_and_the_reference_plainly()
    {
        await using var eval = await EvalHarness.StartAsync();
        await eval.AcceptRunAsync("l1");
        await eval.WriteModelAsync("runs/l1/checkpoints/step-000003");
        var run = Run("l1", new PruningMethod("grpo")) with { LengthReward = "l1max", LengthTarget = 24, LengthTargetInPrompt = true, SamplesPerProblem = 4 };

        await eval.EvaluateFinalAsync("l1", "runs/l1/checkpoints/step-000003", 3, run);
        var completed = (await eval.PublishedAsync<EvaluationCompleted>(1)).Single();

        Assert.Equal(100, completed.ReferenceMeanLength, 12);           // the reference ("long"): no instruction
        Assert.Equal(24, completed.MeanLength, 12);                     // the checkpoint: asked for at most 24
    }

    [Fact]
    public async Task A_redelivered_checkpoint_republishes_the_same_report_without_generating_again()
    {
        await using var eval = await EvalHarness.StartAsync();
        await eval.AcceptRunAsync("run-a");
        await eval.WriteModelAsync("runs/run-a/checkpoints/step-000002");

        await eval.Harness.Bus.Publish(Checkpoint("run-a", 2));
        var first = (await eval.PublishedAsync<EvaluationCompleted>(1)).Single();
        var callsAfterFirst = eval.Generator.Calls.Count;
        await eval.Harness.Bus.Publish(Checkpoint("run-a", 2));
        var both = await eval.PublishedAsync<EvaluationCompleted>(2);

        Assert.Equal(first, both[1]);
        Assert.Equal(callsAfterFirst, eval.Generator.Calls.Count);
    }

    [Fact]
    public async Task An_intermediate_checkpoint_is_skipped_when_configured_so()
    {
        await using var eval = await EvalHarness.StartAsync(evaluateIntermediate: false);
        await eval.AcceptRunAsync("run-a");
        await eval.WriteModelAsync("runs/run-a/checkpoints/step-000001");
        await eval.WriteModelAsync("runs/run-a/checkpoints/step-000002");

        await eval.Harness.Bus.Publish(Checkpoint("run-a", 1, final: false));
        await eval.Harness.Bus.Publish(Checkpoint("run-a", 2, final: true));
        var completed = await eval.PublishedAsync<EvaluationCompleted>(1);

        Assert.True(await eval.Harness.Consumed.Any<EvaluateCheckpoint>(c => c.Context.Message.Step == 1));
        Assert.Equal("runs/run-a/checkpoints/step-000002", Assert.Single(completed).Checkpoint);
        Assert.False(await eval.Store.ExistsAsync(ArtifactLayout.Report("run-a", 1), CancellationToken.None));
    }

    [Fact]
    public async Task A_checkpoint_missing_from_the_store_faults_the_evaluation()
    {
        await using var eval = await EvalHarness.StartAsync();
        await eval.AcceptRunAsync("ghost");

        await eval.Harness.Bus.Publish(Checkpoint("ghost", 1));

        var fault = (await eval.PublishedAsync<MassTransit.Fault<EvaluateCheckpoint>>(1)).Single();
        Assert.NotEqual(typeof(PrunerPipeline.Hosting.Messaging.UnknownRunException).FullName, fault.Exceptions[0].ExceptionType);
        Assert.False(await eval.Harness.Published.Any<EvaluationCompleted>());
    }

    [Fact]
    public void The_cache_key_changes_with_the_prompt_and_the_decoding()
    {
        var decoding = new EvaluationDecoding(128, 0, 1, 1, 8, 1);
        var request = new EvaluationRequest("builtin", "/m", "synthetic", 50, false, decoding);

        var key = ModelEvaluator.CacheKey(request, "f1");

        Assert.Equal(key, ModelEvaluator.CacheKey(request with { Decoding = decoding with { BatchSize = 64 } }, "f1"));
        Assert.NotEqual(key, ModelEvaluator.CacheKey(request with { Brief = true }, "f1"));
        Assert.NotEqual(key, ModelEvaluator.CacheKey(request with { LengthTarget = 32 }, "f1"));
        Assert.NotEqual(key, ModelEvaluator.CacheKey(request with { Decoding = decoding with { MaxNewTokens = 256 } }, "f1"));
        Assert.NotEqual(key, ModelEvaluator.CacheKey(request, "f2"));
        Assert.NotEqual(key, ModelEvaluator.CacheKey(request with { ProblemLimit = 51 }, "f1"));
    }
}
