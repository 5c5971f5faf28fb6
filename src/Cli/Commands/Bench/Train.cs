using PrunerPipeline.Training.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench train</c>: the real training loop on random data (<see cref="TrainingBenchmark"/>).</summary>
internal static class Train
{
    public static Command Create()
    {
        var model = BenchOutput.ModelOption();
        var batch = BenchOutput.Count("--batch", "Sequences per optimiser step.");
        var sequenceLength = BenchOutput.Count("--seq-len", "Tokens per sequence.", minimum: 2);
        var steps = BenchOutput.Count("--steps", "Measured steps (one more runs first as a warm-up).");
        var threads = BenchOutput.ThreadsOption();
        var command = new Command("train", "Forward + backward + AdamW on random data: tokens/s, peak memory and MFU against `bench matmul`.") { model, batch, sequenceLength, steps, threads };
        command.SetAction(parseResult =>
        {
            var (b, s, n) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength), parseResult.GetValue(steps));
            var t = BenchOutput.ApplyThreads(parseResult.GetValue(threads));
            var reference = parseResult.GetValue(model)!;
            // The trained policy owns (and disposes) the model.
            var (causalLm, _) = BenchOutput.LoadModel(reference);
            var result = TrainingBenchmark.Run(Path.GetFileName(reference.TrimEnd('/')), causalLm, b, s, n);
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
                threads = t,
                parameters = result.Parameters,
            });
        });
        return command;
    }
}
