using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench logprobs</c>: teacher-forced log-prob throughput (<see cref="LogProbsBenchmark"/>).</summary>
internal static class LogProbs
{
    public static Command Create()
    {
        var bench = ModelBench.Float32();
        var batch = BenchOutput.Count("--batch", "Sequences per pass.");
        var sequenceLength = BenchOutput.Count("--seq-len", "Tokens per sequence (a quarter prompt, the rest completion).", minimum: 2);
        var command = bench.Command("logprobs", "Teacher-forced completion log-prob throughput (no gradients): one warm-up pass, then three timed.", batch, sequenceLength);
        command.SetAction(parseResult =>
        {
            var (b, s) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength));
            using var loaded = bench.Load(parseResult);
            var result = LogProbsBenchmark.Run(loaded.Model, b, s);
            return BenchOutput.Print(new { tokens_per_second = result.TokensPerSecond, seconds = result.Seconds, batch = b, seq_len = s, threads = loaded.Threads });
        });
        return command;
    }
}
