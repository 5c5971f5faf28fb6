using PrunerPipeline.TrainerService.Checkpoints;

namespace PrunerPipeline.Services.Tests.Trainer;

public sealed class When_checkpoints_are_listed_in_the_store
{
    [Fact]
    public async Task A_checkpoint_whose_upload_died_before_trainer_state_does_not_count()
    {
        using var folder = new TemporaryFolder("checkpoint-blobs");
        var store = new FileSystemArtifactStore(folder.Path);
        var blobs = new CheckpointBlobs(store);
        var ct = CancellationToken.None;
        Assert.Null(await blobs.LatestStepAsync("r", ct));

        await store.WriteTextAsync("runs/r/checkpoints/step-000003/model.safetensors", "w", ct);
        await store.WriteTextAsync("runs/r/checkpoints/step-000003/trainer_state.json", "{}", ct);
        await store.WriteTextAsync("runs/r/checkpoints/step-000006/model.safetensors", "w", ct);   // upload died here
        await store.WriteTextAsync("runs/r/checkpoints/metrics.jsonl", "", ct);                     // not a step folder
        await store.WriteTextAsync("runs/r2/checkpoints/step-000009/trainer_state.json", "{}", ct); // another run

        Assert.Equal(3, await blobs.LatestStepAsync("r", ct));
        Assert.True(await blobs.ExistsAsync("r", 3, ct));
        Assert.False(await blobs.ExistsAsync("r", 6, ct));
    }
}
