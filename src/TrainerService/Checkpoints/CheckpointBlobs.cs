using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Training.Checkpoints;

namespace PrunerPipeline.TrainerService.Checkpoints;

/// <summary>
/// The run's checkpoints in the artifact store, <c>runs/{run}/checkpoints/step-{n:D6}/</c>. A checkpoint counts as
/// present once its <c>trainer_state.json</c> exists, which is uploaded last.
/// </summary>
public sealed class CheckpointBlobs(IArtifactStore store)
{
    public static string Root(string runId) => ArtifactLayout.Checkpoints(runId);

    public static string Prefix(string runId, int step) => ArtifactLayout.Checkpoint(runId, step);

    public Task<bool> ExistsAsync(string runId, int step, CancellationToken ct) =>
        store.ExistsAsync($"{Prefix(runId, step)}/{TrainerState.FileName}", ct);

    /// <summary>The highest step with a complete checkpoint in the store, or null.</summary>
    public async Task<int?> LatestStepAsync(string runId, CancellationToken ct) =>
        (await StepsAsync(runId, ct)).Cast<int?>().FirstOrDefault();

    /// <summary>Every step with a complete checkpoint in the store, newest first.</summary>
    public async Task<IReadOnlyList<int>> StepsAsync(string runId, CancellationToken ct)
    {
        var steps = new List<int>();
        await foreach (var name in store.ListAsync(Root(runId) + "/", ct))
        {
            var parts = name[(Root(runId).Length + 1)..].Split('/');
            if (parts.Length == 2 && parts[1] == TrainerState.FileName && TrainingCheckpoint.StepOf(parts[0]) is { } step)
            {
                steps.Add(step);
            }
        }
        return steps.Distinct().OrderDescending().ToList();
    }

    /// <summary>Deletes a stored checkpoint: its trainer_state.json first, so a half-deleted one no longer counts as present.</summary>
    public async Task DeleteAsync(string runId, int step, CancellationToken ct)
    {
        var prefix = Prefix(runId, step);
        await store.DeleteAsync($"{prefix}/{TrainerState.FileName}", ct);
        var names = new List<string>();
        await foreach (var name in store.ListAsync(prefix + "/", ct))
        {
            names.Add(name);
        }
        foreach (var name in names)
        {
            await store.DeleteAsync(name, ct);
        }
    }

    /// <summary>Uploads a local checkpoint unless the store already holds it; trainer_state.json goes last. Returns whether anything was uploaded.</summary>
    public async Task<bool> UploadIfAbsentAsync(string runId, TrainingCheckpoint checkpoint, CancellationToken ct)
    {
        if (await ExistsAsync(runId, checkpoint.State.Step, ct))
        {
            return false;
        }
        var prefix = Prefix(runId, checkpoint.State.Step);
        var files = Directory.EnumerateFiles(checkpoint.Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(checkpoint.Directory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(f => f == TrainerState.FileName ? 1 : 0)
            .ThenBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            await using var content = File.OpenRead(Path.Combine(checkpoint.Directory, file));
            await store.WriteAsync($"{prefix}/{file}", content, ct);
        }
        return true;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> (and keeps nothing) when the stored copy is corrupt. Downloads the store's checkpoint into <c>{localRoot}/step-{n:D6}</c> (through a staging folder) and reads it.</summary>
    public async Task<TrainingCheckpoint> DownloadAsync(string runId, int step, string localRoot, CancellationToken ct)
    {
        var target = Path.Combine(localRoot, TrainingCheckpoint.FolderName(step));
        var staging = target + ".download";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        await store.DownloadFolderAsync(Prefix(runId, step), staging, ct);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        Directory.Move(staging, target);
        if (TrainingCheckpoint.Problem(target, step) is { } problem)
        {
            Directory.Delete(target, recursive: true);
            throw new InvalidDataException($"stored checkpoint {Prefix(runId, step)} is corrupt: {problem}");
        }
        return TrainingCheckpoint.Read(target);
    }
}
