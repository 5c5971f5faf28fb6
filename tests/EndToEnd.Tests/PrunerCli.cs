using System.Diagnostics;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>Runs the built <c>pruner</c> command (pruner.dll beside the tests) as its own process, as a user would.</summary>
internal static class PrunerCli
{
    /// <summary>One libtorch / OpenMP thread: a long command keeps going without taking the whole (shared) machine.</summary>
    public static readonly IReadOnlyDictionary<string, string> OneThread = new Dictionary<string, string>
    {
        ["TORCH_NUM_THREADS"] = "1",
        ["OMP_NUM_THREADS"] = "1",
    };

    /// <summary>How to start <c>pruner</c> with <paramref name="arguments"/>, stdout and stderr redirected.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pruner.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return start;
    }

    /// <summary>
    /// Runs to the end, or until <paramref name="limit"/> has passed, when it is killed with its children; returns the
    /// exit code and everything written to stdout and stderr.
    /// </summary>
    public static (int Code, string Output, string Error) Run(IReadOnlyDictionary<string, string>? environment, TimeSpan limit, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(environment, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs to the end; returns the exit code and everything written to stdout and stderr.</summary>
    public static (int Code, string Output, string Error) Run(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Run(environment, Timeout.InfiniteTimeSpan, arguments);

    public static (int Code, string Output, string Error) Run(params string[] arguments) => Run(null, arguments);
}
