using System.Diagnostics;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>Runs the built <c>pruner</c> command (pruner.dll beside the tests) as its own process, as a user would.</summary>
internal static class PrunerCli
{
    /// <summary>Runs to the end; returns the exit code and everything written to stdout and stderr.</summary>
    public static (int Code, string Output, string Error) Run(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pruner.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    public static (int Code, string Output, string Error) Run(params string[] arguments) => Run(null, arguments);
}
