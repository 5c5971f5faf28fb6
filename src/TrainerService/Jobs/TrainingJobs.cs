using System.Collections.Concurrent;

namespace PrunerPipeline.TrainerService.Jobs;

/// <summary>
/// The runs this process is training, each with a cancellation source a <c>CancelRun</c> can trip. Runs cancelled
/// before their <c>TrainPolicy</c> arrived are remembered so the job is not started at all.
/// </summary>
public sealed class TrainingJobs
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> cancelled = new(StringComparer.Ordinal);

    /// <summary>A token cancelled by <see cref="Cancel"/> or by <paramref name="shutdown"/>; dispose the lease when the job ends.</summary>
    public Lease Begin(string runId, CancellationToken shutdown)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        if (cancelled.ContainsKey(runId))
        {
            source.Cancel();
        }
        if (!running.TryAdd(runId, source))
        {
            source.Dispose();
            throw new InvalidOperationException($"Run {runId} is already training in this process");
        }
        return new Lease(this, runId, source);
    }

    /// <summary>Trips the run's token; true when a job was running here.</summary>
    public bool Cancel(string runId, string reason)
    {
        cancelled[runId] = reason;
        if (running.TryGetValue(runId, out var source))
        {
            source.Cancel();
            return true;
        }
        return false;
    }

    public bool IsCancelled(string runId) => cancelled.ContainsKey(runId);

    public bool IsRunning(string runId) => running.ContainsKey(runId);

    public sealed class Lease(TrainingJobs jobs, string runId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            jobs.running.TryRemove(runId, out _);
            source.Dispose();
        }
    }
}
