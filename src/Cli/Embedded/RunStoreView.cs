using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;

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
}
