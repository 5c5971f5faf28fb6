namespace PrunerPipeline.Hosting.Messaging;

/// <summary>
/// Lets at most one progress update through per <see cref="Interval"/> (the first and the final one always), so a fast
/// stage does not spend its time on advisory messages. A rollout shard reports after every decoded batch: 16 waits
/// for the broker's publish confirm per half-second shard made two pinned workers no faster than one when the broker
/// shared their cores.
/// </summary>
public sealed class ProgressThrottle(TimeSpan interval, TimeProvider? time = null)
{
    /// <summary>What the services use: one update every two seconds per shard or evaluation.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private long? lastReport;

    public TimeSpan Interval { get; } = interval;

    /// <summary>Whether this update should be sent; records it as sent when it should.</summary>
    public bool ShouldReport(bool final)
    {
        var now = clock.GetTimestamp();
        if (!final && lastReport is { } last && clock.GetElapsedTime(last, now) < Interval)
            return false;
        lastReport = now;
        return true;
    }
}
