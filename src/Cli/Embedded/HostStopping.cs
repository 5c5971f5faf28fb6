using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace PrunerPipeline.Cli.Embedded;

/// <summary>
/// Every CLI command exits within 5 s of SIGINT/SIGTERM or its <c>--timeout</c>: hosts are stopped with a deadline, and
/// work that ignores its cancellation token past it is abandoned with the process (in distributed mode it was never in
/// this process; an unacknowledged message goes back to its queue).
/// </summary>
public static class HostStopping
{
    /// <summary>How long a command waits for its host to stop (consumers are cancelled after <c>Bus:ShutdownTimeoutSeconds</c>, 1 s for the CLI).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Stops the host, waiting at most <see cref="Limit"/>; true when it stopped (then it may be disposed), false when it
    /// was abandoned. The host's stop token is never cancelled from here: a token cancelled while MassTransit was still
    /// stopping made the stop throw an <see cref="OperationCanceledException"/> that the host logged with its stack trace
    /// (the flaky <c>--timeout</c> test: it happened when the consumers ended between the token's deadline and the
    /// abandon limit). Consumers are cancelled by MassTransit after <c>Bus:ShutdownTimeoutSeconds</c>; a host still
    /// stopping at the limit is abandoned with one line.
    /// </summary>
    public static async Task<bool> StopWithinLimitAsync(this IHost host) => await StopWithinAsync(host, Limit);

    /// <summary><see cref="StopWithinLimitAsync"/> with another limit (tests).</summary>
    public static async Task<bool> StopWithinAsync(this IHost host, TimeSpan limit)
    {
        var stop = host.StopAsync(CancellationToken.None);
        var finished = await Task.WhenAny(stop, Task.Delay(limit, CancellationToken.None));
        if (finished != stop)
        {
            Console.Error.WriteLine($"the pipeline did not stop within {limit.TotalSeconds:F0} s; its unfinished work is abandoned");
            _ = stop.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return false;
        }
        try
        {
            await stop;
        }
        catch (OperationCanceledException)
        {
            // The host's own shutdown timeout cut the stop short: as stopped as it will get.
        }
        return true;
    }

    /// <summary>
    /// Ends the process now with <paramref name="exitCode"/>, after flushing the console. Used when a host was abandoned:
    /// measured here, a normal exit with sampling still running in native code took another ~4 s (runtime and libtorch
    /// teardown), past the 5 s promise. On Linux this is libc's <c>_exit</c> (no exit handlers run); elsewhere
    /// <see cref="Environment.Exit"/>.
    /// </summary>
    public static void ExitNow(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux())
        {
            ImmediateExit(exitCode);
        }
        Environment.Exit(exitCode);
    }

    /// <summary>
    /// The last guard of the 5 s promise: on SIGINT/SIGTERM a watchdog ends the process with 128 + the signal number after
    /// <paramref name="limit"/>, whatever the command is doing. A command normally returns first (its token is cancelled;
    /// System.CommandLine's own timeout is shorter), but should the command or the normal exit path hang (a stuck native
    /// thread: an evaluation of an old build ignored SIGTERM for 17 min), this one exits with <see cref="ExitNow"/>, which
    /// runs no exit handlers. Keep the returned registrations alive. (A signal the process inherited as ignored — SIGINT
    /// in a job started with <c>&amp;</c> by a shell without job control — reaches no handler at all.)
    /// </summary>
    public static IReadOnlyList<IDisposable> ExitAfterSignal(TimeSpan limit)
    {
        return [Register(PosixSignal.SIGINT, 130), Register(PosixSignal.SIGTERM, 143)];

        IDisposable Register(PosixSignal signal, int exitCode) => PosixSignalRegistration.Create(signal, _ =>
        {
            // The runtime runs SIGINT/SIGTERM handlers on a thread of their own; the watchdog is one more, so neither a
            // saturated thread pool nor a blocked exit path can hold it up.
            new Thread(() =>
            {
                Thread.Sleep(limit);
                Console.Error.WriteLine($"still running {limit.TotalSeconds:F0} s after {signal}: exiting now");
                ExitNow(exitCode);
            }) { IsBackground = true, Name = "signal-watchdog" }.Start();
        });
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ImmediateExit(int status);
}
