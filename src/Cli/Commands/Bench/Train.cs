using PrunerPipeline.Training.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench train</c>: the real training loop on random data (<see cref="TrainingBenchmark"/>).</summary>
internal static class Train
{
    public static Command Create()
    {
        var bench = ModelBench.Float32();
        var batch = BenchOutput.Count("--batch", "Sequences per optimiser step.");
        var sequenceLength = BenchOutput.Count("--seq-len", "Tokens per sequence.", minimum: 2);
        var steps = BenchOutput.Count("--steps", "Measured steps (one more runs first as a warm-up).");
        var command = bench.Command("train", "Forward + backward + AdamW on random data: tokens/s, peak memory and MFU against `bench matmul`.", batch, sequenceLength, steps);
        command.SetAction(parseResult =>
        {
            var (b, s, n) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength), parseResult.GetValue(steps));
            // The trained policy owns (and disposes) the model.
            var loaded = bench.Load(parseResult);
            var result = TrainingBenchmark.Run(Path.GetFileName(loaded.Reference.TrimEnd('/')), loaded.Model, b, s, n);
            return BenchOutput.Print(new
            {
                tokens_per_second = result.TokensPerSecond,
                peak_memory_mb = result.PeakResidentMiB,
                mfu = result.Mfu,
                achieved_gflops = result.AchievedGflops,
                matmul_peak_gflops = result.MatmulPeakGflops,
                seconds_per_step = result.SecondsPerStep,
                batch = b,
                seq_len = s,
                steps = n,
                threads = loaded.Threads,
                parameters = result.Parameters,
            });
        });
        return command;
    }
}
