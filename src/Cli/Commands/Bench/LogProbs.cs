using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench logprobs</c>: teacher-forced log-prob throughput (<see cref="LogProbsBenchmark"/>).</summary>
internal static class LogProbs
{
    public static Command Create()
    {
        var bench = ModelBench.Float32();
        var (batch, sequenceLength) = BenchOutput.TeacherForcedShape("Sequences per pass.", "Tokens per sequence (a quarter prompt, the rest completion).");
        var command = bench.Command("logprobs", "Teacher-forced completion log-prob throughput (no gradients): one warm-up pass, then three timed.", batch, sequenceLength);
        command.SetAction(parseResult =>
        {
            var (b, s) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength));
            using var loaded = bench.Load(parseResult);
            var result = LogProbsBenchmark.Run(loaded.Model, b, s);
            return BenchOutput.Print(result, new { batch = b, seq_len = s, threads = loaded.Threads });
        });
        return command;
    }
}
