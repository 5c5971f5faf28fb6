using PrunerPipeline.Training.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench train</c>: the real training loop on random data (<see cref="TrainingBenchmark"/>).</summary>
internal static class Train
{
    public static Command Create()
    {
        var bench = ModelBench.Float32();
        var (batch, sequenceLength) = BenchOutput.TeacherForcedShape("Sequences per optimiser step.", "Tokens per sequence.");
        var steps = BenchOutput.Count("--steps", "Measured steps (one more runs first as a warm-up).");
        var command = bench.Command("train", "Forward + backward + AdamW on random data: tokens/s, peak memory and MFU against `bench matmul`.", batch, sequenceLength, steps);
        command.SetAction(parseResult =>
        {
            var (b, s, n) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength), parseResult.GetValue(steps));
            // The trained policy owns (and disposes) the model.
            var loaded = bench.Load(parseResult);
            var result = TrainingBenchmark.Run(Path.GetFileName(loaded.Reference.TrimEnd('/')), loaded.Model, b, s, n);
            return BenchOutput.Print(result);
        });
        return command;
    }
}
