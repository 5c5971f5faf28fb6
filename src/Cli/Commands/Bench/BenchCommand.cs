namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary>
/// <c>pruner bench generate|rollouts|train|logprobs|memory|matmul|profile|make-model</c>: throughput figures of this
/// machine, each printed as ONE JSON line so scripts and outside checks can read them (docs/benchmarks.md is written
/// from these). Each subcommand's file only parses its options and prints; the measurements live in the libraries they
/// measure (<c>Model/Benchmarks</c>, <c>Training/Benchmarks</c>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure decoding, training and matmul throughput (one JSON line each).");
        command.Subcommands.Add(Generate.Create());
        command.Subcommands.Add(Train.Create());
        command.Subcommands.Add(LogProbs.Create());
        command.Subcommands.Add(Memory.Create());
        command.Subcommands.Add(Matmul.Create());
        command.Subcommands.Add(MakeModel.Create());
        command.Subcommands.Add(Profile.Create());
        command.Subcommands.Add(Rollouts.Create());
        return command;
    }
}
