using PrunerPipeline.Training.Checkpoints;

namespace PrunerPipeline.Services.Tests.Trainer;

public sealed class When_a_policy_is_trained_by_the_service : IDisposable
{
    private readonly TemporaryFolder folder = new("trainer");
    private static readonly StartPruningRun Run = new() { RunId = "train-1", Epochs = 2, BatchSize = 4, LearningRate = 0.05, Seed = 21 };

    private string BaseModel()
    {
        var path = Path.Combine(folder.Path, "base");
        new BigramPolicy(null).Save(path);
        return path;
    }

    // Snapshots of what was published so far (the Async variants would wait for the harness to go idle).
    private static Task<List<CheckpointPublished>> CheckpointsAsync(TrainerHarness h) =>
        Task.FromResult(h.Harness.Published.Select<CheckpointPublished>().Select(m => m.Context.Message).ToList());

    private static List<StageProgress> Progress(TrainerHarness h) =>
        h.Harness.Published.Select<StageProgress>().Select(m => m.Context.Message).ToList();

    [Fact]
    public async Task Every_epoch_gets_a_stored_checkpoint_and_the_last_is_final()
    {
        var loader = new BigramPolicyLoader();
        await using var h = await TrainerHarness.StartAsync(Path.Combine(folder.Path, "store"), Path.Combine(folder.Path, "work"), loader);
        var train = await TrainerHarness.SeedRunAsync(h.Store, Run, BaseModel());

        await h.Harness.Bus.Publish(train);
        Assert.True(await h.Harness.Published.Any<CheckpointPublished>(m => m.Context.Message.IsFinal));

        var published = await CheckpointsAsync(h);
        // 32 samples, all K (TrainingSamplesPerProblem 0), batch 4 → 8 steps an epoch.
        Assert.Equal([(8, 1, false), (16, 2, true)], published.Select(c => (c.Step, c.Epoch, c.IsFinal)));
        Assert.Equal("runs/train-1/checkpoints/step-000016", published[^1].Checkpoint);
        foreach (var file in new[] { "model.safetensors", "config.json", "optimizer.safetensors", "metrics.jsonl", TrainerState.FileName })
        {
            Assert.True(await h.Store.ExistsAsync($"runs/train-1/checkpoints/step-000016/{file}", CancellationToken.None), file);
        }
        var progress = Progress(h);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), progress.Select(p => p.Done));
        Assert.All(progress, p => Assert.Equal(("training", 16L), (p.Stage, p.Total)));
        var trained = BigramPolicy.Load(Path.Combine(folder.Path, "store", "runs/train-1/checkpoints/step-000016"));
        Assert.NotEqual(new BigramPolicy(null).Weights(), trained.Weights());
        Assert.Single(loader.Loaded);
    }

    [Fact]
    public async Task A_trainer_killed_mid_run_is_resumed_by_another_from_the_stored_checkpoint_with_the_same_result()
    {
        var store = Path.Combine(folder.Path, "store");
        var run = Run with { RunId = "train-2" };

        // Reference: the same run, never interrupted, in its own store.
        var reference = new BigramPolicyLoader();
        await using (var h = await TrainerHarness.StartAsync(Path.Combine(folder.Path, "reference-store"), Path.Combine(folder.Path, "reference-work"), reference))
        {
            await h.Harness.Bus.Publish(await TrainerHarness.SeedRunAsync(h.Store, run, BaseModel()));
            Assert.True(await h.Harness.Published.Any<CheckpointPublished>(m => m.Context.Message.IsFinal));
        }

        // First trainer: checkpoints every 3 steps, dies inside step 5 (each step here is 1 micro-batch of 4 short rows).
        var settings = new Dictionary<string, string?> { ["Trainer:CheckpointEverySteps"] = "3" };
        TrainPolicy train;
        await using (var first = await TrainerHarness.StartAsync(store, Path.Combine(folder.Path, "work-1"), new BigramPolicyLoader { CrashOnForward = 5 }, settings))
        {
            train = await TrainerHarness.SeedRunAsync(first.Store, run, BaseModel());
            await first.Harness.Bus.Publish(train);
            Assert.True(await first.Harness.Published.Any<Fault<TrainPolicy>>());
            Assert.Equal([3], (await CheckpointsAsync(first)).Select(c => c.Step));
        }
        var firstCheckpoint = Path.Combine(store, "runs/train-2/checkpoints/step-000003/model.safetensors");
        var writtenAt = File.GetLastWriteTimeUtc(firstCheckpoint);

        // Second trainer on another machine (empty work folder): the redelivered TrainPolicy resumes from step 3.
        var second = new BigramPolicyLoader();
        await using (var h = await TrainerHarness.StartAsync(store, Path.Combine(folder.Path, "work-2"), second, settings))
        {
            await h.Harness.Bus.Publish(train);
            Assert.True(await h.Harness.Published.Any<CheckpointPublished>(m => m.Context.Message.IsFinal));
            Assert.Equal([6, 8, 9, 12, 15, 16], (await CheckpointsAsync(h)).Select(c => c.Step));
            Assert.Equal(Enumerable.Range(4, 13).Select(i => (long)i), Progress(h).Select(p => p.Done));
        }

        // Bit-identical final weights, read back from what each trainer published.
        var uninterrupted = BigramPolicy.Load(Path.Combine(folder.Path, "reference-store", "runs/train-2/checkpoints/step-000016"));
        var resumed = BigramPolicy.Load(Path.Combine(store, "runs/train-2/checkpoints/step-000016"));
        Assert.Equal(uninterrupted.Weights(), resumed.Weights());
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(firstCheckpoint));
        var stepFolders = Directory.GetDirectories(Path.Combine(store, "runs/train-2/checkpoints")).Select(p => Path.GetFileName(p)!).Order().ToArray();
        Assert.Equal(["step-000003", "step-000006", "step-000008", "step-000009", "step-000012", "step-000015", "step-000016"], stepFolders);
    }

    [Fact]
    public async Task A_redelivered_train_policy_after_the_end_trains_nothing_and_announces_the_final_checkpoint_again()
    {
        var loader = new BigramPolicyLoader();
        await using var h = await TrainerHarness.StartAsync(Path.Combine(folder.Path, "store"), Path.Combine(folder.Path, "work"), loader);
        var train = await TrainerHarness.SeedRunAsync(h.Store, Run with { RunId = "train-3", Epochs = 1 }, BaseModel());
        await h.Harness.Bus.Publish(train);
        Assert.True(await h.Harness.Published.Any<CheckpointPublished>(m => m.Context.Message.IsFinal));
        await h.Harness.Bus.Publish(train);
        await WaitUntilAsync(() => h.Harness.Published.Select<CheckpointPublished>().Count() == 2);

        Assert.Equal([(8, true), (8, true)], (await CheckpointsAsync(h)).Select(c => (c.Step, c.IsFinal)));
        Assert.Equal(8, Progress(h).Count);
    }

    [Fact]
    public async Task Cancel_run_stops_training_at_the_next_step_without_a_fault()
    {
        var loader = new BigramPolicyLoader { ForwardDelay = TimeSpan.FromMilliseconds(100) };
        await using var h = await TrainerHarness.StartAsync(Path.Combine(folder.Path, "store"), Path.Combine(folder.Path, "work"), loader);
        var train = await TrainerHarness.SeedRunAsync(h.Store, Run with { RunId = "train-4" }, BaseModel());

        await h.Harness.Bus.Publish(train);
        Assert.True(await h.Harness.Published.Any<StageProgress>());
        await h.Harness.Bus.Publish(new CancelRun { RunId = "train-4" });
        await WaitUntilAsync(() => !h.Jobs.IsRunning("train-4"));
        Assert.True(await h.Harness.Consumed.Any<TrainPolicy>());

        Assert.Empty(h.Harness.Published.Select<Fault<TrainPolicy>>());
        Assert.DoesNotContain(h.Harness.Published.Select<CheckpointPublished>(), m => m.Context.Message.IsFinal);
        Assert.True(Progress(h).Count < 16);
        Assert.False(h.Jobs.IsRunning("train-4"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 60 s");
            await Task.Delay(20);
        }
    }

    public void Dispose() => folder.Dispose();
}
