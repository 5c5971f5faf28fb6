using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PrunerPipeline.Grading;

/// <summary>
/// The time bound of one grading call (Math-Verify bounds parsing and verifying by a timeout too; here it is a
/// deadline checked inside the loops of extraction, parsing and comparison, not a thread or a signal per case).
/// Measured in CPU time of the grading thread where the OS offers it (Linux: CLOCK_THREAD_CPUTIME_ID), so a verdict
/// does not change when a loaded machine deschedules the grader — a reward must not depend on the load; elsewhere in
/// wall-clock time. Per thread, so concurrent graders do not share it; outside a grading call it never expires.
/// </summary>
internal static class GradingBudget
{
    private const int ThreadCpuClock = 3;

    private static readonly bool HasThreadCpuClock = OperatingSystem.IsLinux() && TryReadThreadCpu(out _);

    [ThreadStatic]
    private static long deadline;

    [ThreadStatic]
    private static int checks;

    /// <summary>Starts the clock for the current thread; dispose the result to stop it.</summary>
    public static Scope Start(TimeSpan budget)
    {
        var previous = deadline;
        deadline = Now() + budget.Ticks;
        return new Scope(previous);
    }

    /// <summary>Throws <see cref="GradingTimeoutException"/> once the deadline has passed (the clock is read every 64th call).</summary>
    public static void ThrowIfSpent()
    {
        if (deadline != 0 && (++checks & 63) == 0 && Now() > deadline)
        {
            throw new GradingTimeoutException();
        }
    }

    /// <summary>As <see cref="ThrowIfSpent"/>, reading the clock now (before a step that may itself be long).</summary>
    public static void ThrowIfSpentNow()
    {
        if (deadline != 0 && Now() > deadline)
        {
            throw new GradingTimeoutException();
        }
    }

    /// <summary>The CPU time this thread has used (wall-clock time where the OS has no per-thread CPU clock), for benchmarks.</summary>
    public static TimeSpan ThreadTime() => TimeSpan.FromTicks(Now());

    /// <summary>The current thread's clock in ticks of 100 ns.</summary>
    private static long Now()
    {
        if (HasThreadCpuClock && TryReadThreadCpu(out var ticks))
        {
            return ticks;
        }

        return Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency;
    }

    private static bool TryReadThreadCpu(out long ticks)
    {
        ticks = 0;
        try
        {
            if (ClockGetTime(ThreadCpuClock, out var time) != 0)
            {
                return false;
            }

            ticks = time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    public readonly struct Scope(long previous) : IDisposable
    {
        public void Dispose() => deadline = previous;
    }
}
