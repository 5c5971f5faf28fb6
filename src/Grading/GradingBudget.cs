using System.Diagnostics;

namespace PrunerPipeline.Grading;

/// <summary>
/// The time bound of one grading call (Math-Verify bounds parsing and verifying by a timeout too; here it is a
/// deadline checked inside the loops of extraction, parsing and comparison, not a thread or a signal per case).
/// Per thread, so concurrent graders do not share it; outside a grading call it never expires.
/// </summary>
internal static class GradingBudget
{
    [ThreadStatic]
    private static long deadline;

    [ThreadStatic]
    private static int checks;

    /// <summary>Starts the clock for the current thread; dispose the result to stop it.</summary>
    public static Scope Start(TimeSpan budget)
    {
        var previous = deadline;
        deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        return new Scope(previous);
    }

    /// <summary>Throws <see cref="GradingTimeoutException"/> once the deadline has passed (the clock is read every 64th call).</summary>
    public static void ThrowIfSpent()
    {
        if (deadline != 0 && (++checks & 63) == 0 && Stopwatch.GetTimestamp() > deadline)
        {
            throw new GradingTimeoutException();
        }
    }

    /// <summary>As <see cref="ThrowIfSpent"/>, reading the clock now (before a step that may itself be long).</summary>
    public static void ThrowIfSpentNow()
    {
        if (deadline != 0 && Stopwatch.GetTimestamp() > deadline)
        {
            throw new GradingTimeoutException();
        }
    }

    public readonly struct Scope(long previous) : IDisposable
    {
        public void Dispose() => deadline = previous;
    }
}
