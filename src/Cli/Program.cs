using PrunerPipeline.Cli;
using PrunerPipeline.Cli.Commands;
using PrunerPipeline.Cli.Commands.Bench;

// The `pruner` command. Each subcommand lives in Commands/<Name>Command.cs and is registered here, one line each.
var root = new RootCommand("PrunerPipeline: O1-Pruner (Length-Harmonizing Fine-Tuning) for long-thought reasoning models.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(AblateCommand.Create());
root.Subcommands.Add(TuneCommand.Create());
root.Subcommands.Add(GradeCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(CancelCommand.Create());
root.Subcommands.Add(ResumeCommand.Create());
root.Subcommands.Add(StoreCommand.Create());
root.Subcommands.Add(ProbeCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(DisharmonyCommand.Create());

root.Subcommands.Add(PlanCommand.Create());

// Written to a file or a CI log, Spectre assumes 80 columns and wraps the demo's eleven-column comparison into
// fragments ("Accu… (%)"); a log has no width limit, so tables get the room they need there.
if (Console.IsOutputRedirected && Environment.GetEnvironmentVariable("COLUMNS") is null)
{
    Spectre.Console.AnsiConsole.Profile.Width = 200;
}

// System.CommandLine 2.0.0 leaves ProcessTerminationTimeout null (dotnet/command-line-api#2739), which means it does
// not turn SIGINT/SIGTERM into the commands' cancellation token. With it set, a signal cancels the token and, should a
// command not return within the timeout, the process is terminated anyway: every command ends within 5 s of a signal.
// No stack traces: an exception that escapes a command is one line and an exit code (CliErrors).
// Should the command (or the process's own exit) not end within 5 s of a signal, a watchdog ends the process.
var signalWatchdogs = PrunerPipeline.Cli.Embedded.HostStopping.ExitAfterSignal(TimeSpan.FromSeconds(5));
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration
    {
        ProcessTerminationTimeout = TimeSpan.FromSeconds(4.5),
        EnableDefaultExceptionHandler = false,
    });
}
catch (Exception e)
{
    var (line, exitCode) = CliErrors.Describe(e);
    Console.Error.WriteLine(line);
    return exitCode;
}
finally
{
    GC.KeepAlive(signalWatchdogs);
}
