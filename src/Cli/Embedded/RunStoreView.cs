namespace PrunerPipeline.Cli.Embedded;

/// <summary>
/// What the artifact store says about a run when no orchestrator answers (an embedded run that has ended):
/// its settings and how many shards, checkpoints and reports exist.
/// </summary>
public sealed record RunStoreView(string RunId, StartPruningRun? Settings, int RewardShards, int Checkpoints, IReadOnlyList<string> Reports)
{
    public static async Task<RunStoreView> ReadAsync(IArtifactStore store, string runId, CancellationToken ct)
    {
        var settings = await store.ReadJsonAsync<StartPruningRun>(ArtifactLayout.RunSpec(runId), ct);
        var rewards = 0;
        var checkpoints = new HashSet<string>();
        var reports = new List<string>();
        await foreach (var name in store.ListAsync(ArtifactLayout.Run(runId) + "/", ct))
        {
            var relative = name[(ArtifactLayout.Run(runId).Length + 1)..];
            if (relative.StartsWith("rewards/shard-", StringComparison.Ordinal))
            {
                rewards++;
            }
            else if (relative.StartsWith("checkpoints/", StringComparison.Ordinal) && relative.Split('/') is [_, var step, ..])
            {
                checkpoints.Add(step);
            }
            else if (relative.StartsWith("eval/", StringComparison.Ordinal) && relative.EndsWith("report.json", StringComparison.Ordinal))
            {
                reports.Add(name);
            }
        }
        return new RunStoreView(runId, settings, rewards, checkpoints.Count, reports);
    }

    /// <summary>
    /// The run's final report when it is stored (the run completed), else null: for a method that trains, the report of
    /// its newest checkpoint when that checkpoint is the last step of its training; otherwise the base model's (step 0).
    /// </summary>
    public async Task<string?> FinalReportAsync(IArtifactStore store, CancellationToken ct)
    {
        if (Settings is null)
        {
            return null;
        }
        var finalStep = 0;
        if (Training.Methods.MethodRegistry.Default[Settings.Method].Trains)
        {
            var newest = -1;
            await foreach (var name in store.ListAsync(ArtifactLayout.Checkpoints(RunId) + "/", ct))
            {
                if (name.EndsWith("/" + Training.Checkpoints.TrainerState.FileName, StringComparison.Ordinal)
                    && Training.Checkpoints.TrainingCheckpoint.StepOf(name.Split('/')[^2]) is { } step)
                {
                    newest = Math.Max(newest, step);
                }
            }
            if (newest < 0)
            {
                return null;
            }
            var state = await store.ReadJsonAsync<Training.Checkpoints.TrainerState>(ArtifactLayout.CheckpointState(ArtifactLayout.Checkpoint(RunId, newest)), ct);
            if (state is null || state.Step < state.TotalSteps)
            {
                return null;
            }
            finalStep = newest;
        }
        var report = ArtifactLayout.Report(RunId, finalStep);
        return await store.ExistsAsync(report, ct) ? report : null;
    }
}
