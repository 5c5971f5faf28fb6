using System.CommandLine;
using PrunerPipeline.Cli;
using PrunerPipeline.Cli.Commands;

// The `pruner` command. Each subcommand lives in Commands/<Name>Command.cs and is registered here, one line each.
var root = new RootCommand("PrunerPipeline: O1-Pruner (Length-Harmonizing Fine-Tuning) for long-thought reasoning models.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(AblateCommand.Create());
root.Subcommands.Add(GradeCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(CancelCommand.Create());
root.Subcommands.Add(StoreCommand.Create());
root.Subcommands.Add(ProbeCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(DisharmonyCommand.Create());

root.Subcommands.Add(PlanCommand.Create());

// No stack traces: an exception that escapes a command is one line and an exit code (CliErrors).
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    var (line, exitCode) = CliErrors.Describe(e);
    Console.Error.WriteLine(line);
    return exitCode;
}
