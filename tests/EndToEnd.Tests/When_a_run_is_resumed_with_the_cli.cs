namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>
/// <c>pruner resume RUN</c> in embedded mode: a run that lost its end (here: its final report, as when the process died
/// while evaluating) continues from the store — the shards are not resampled, the final checkpoint is not retrained —
/// and completes; a completed or unknown run is refused in one line.
/// </summary>
public sealed class When_a_run_is_resumed_with_the_cli : IAsyncLifetime
{
    private readonly TemporaryFolder folder = new("cli-resume");

    private string Store => Path.Combine(folder.Path, "store");

    public async Task InitializeAsync()
    {
        await BuiltinModel.EnsureAsync(Path.Combine(Store, "models", "builtin"), BuiltinModelOptions.Tiny);
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "run.json"), """
            {"runId": "resumed", "trainingProblems": 8, "evaluationProblems": 8, "samplesPerProblem": 2, "maxNewTokens": 48,
             "batchSize": 4, "shardSize": 4, "epochs": 1, "seed": 7}
            """);
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_run_that_lost_its_end_completes_from_what_is_stored()
    {
        var first = Run("run", Path.Combine(folder.Path, "run.json"), "--store", Store);
        Assert.True(first.Code == 0, first.Output);

        var refused = Run("resume", "resumed", "--store", Store);
        Assert.Equal(1, refused.Code);
        Assert.Contains("run resumed: already completed (final report runs/resumed/eval/step-", refused.Output);

        var store = new FileSystemArtifactStore(Store);
        var reports = new List<string>();
        await foreach (var name in store.ListAsync("runs/resumed/eval/", CancellationToken.None))
        {
            reports.Add(name);
        }
        var rollouts = Directory.GetFiles(Path.Combine(Store, "samples"), "*.jsonl", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var checkpoints = Directory.GetDirectories(Path.Combine(Store, "runs", "resumed", "checkpoints"));
        foreach (var report in reports.Where(r => r.EndsWith("report.json", StringComparison.Ordinal)))
        {
            await store.DeleteAsync(report, CancellationToken.None);
        }

        var resumed = Run("resume", "resumed", "--store", Store, "--verbose");

        Assert.True(resumed.Code == 0, resumed.Output);
        Assert.Contains("resuming run resumed from the store: 2 scored shard(s)", resumed.Output);
        Assert.Contains("re-announced, not resampled", resumed.Output);
        Assert.Contains("completed: accuracy", resumed.Output);
        Assert.DoesNotContain("   at ", resumed.Output);
        // Nothing sampled or trained again: the same rollout blobs, untouched, and no new checkpoint.
        Assert.All(rollouts, r => Assert.Equal(r.Value, File.GetLastWriteTimeUtc(r.Key)));
        Assert.Equal(checkpoints.Order(), Directory.GetDirectories(Path.Combine(Store, "runs", "resumed", "checkpoints")).Order());
        Assert.True(await store.ExistsAsync(reports.First(r => r.EndsWith("report.json", StringComparison.Ordinal)), CancellationToken.None));
    }

    [Fact]
    public void An_unknown_run_is_refused_in_one_line()
    {
        var (code, output) = Run("resume", "never-ran", "--store", Store);

        Assert.Equal(1, code);
        Assert.Contains("run never-ran: unknown (no runs/never-ran/run.json in the store", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_bad_run_id_is_refused_naming_it()
    {
        var (code, output) = Run("resume", "../etc", "--store", Store);

        Assert.Equal(2, code);
        Assert.StartsWith("run: ", output.Trim());
    }

    private static (int Code, string Output) Run(params string[] arguments)
    {
        var (code, output, error) = PrunerCli.Run(PrunerCli.OneThread, TimeSpan.FromMinutes(5), arguments);
        return (code, output + error);
    }
}
