using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench logprobs</c>: teacher-forced log-prob throughput (<see cref="LogProbsBenchmark"/>).</summary>
internal static class LogProbs
{
    public static Command Create()
    {
        var model = BenchOutput.ModelOption();
        var batch = BenchOutput.Count("--batch", "Sequences per pass.");
        var sequenceLength = BenchOutput.Count("--seq-len", "Tokens per sequence (a quarter prompt, the rest completion).", minimum: 2);
        var threads = BenchOutput.ThreadsOption();
        var command = new Command("logprobs", "Teacher-forced completion log-prob throughput (no gradients): one warm-up pass, then three timed.") { model, batch, sequenceLength, threads };
        command.SetAction(parseResult =>
        {
            var (b, s) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength));
            var t = BenchOutput.ApplyThreads(parseResult.GetValue(threads));
            var (causalLm, _) = BenchOutput.LoadModel(parseResult.GetValue(model)!);
            using var loaded = causalLm;
            var result = LogProbsBenchmark.Run(causalLm, b, s);
            return BenchOutput.Print(new { tokens_per_second = result.TokensPerSecond, seconds = result.Seconds, batch = b, seq_len = s, threads = t });
        });
        return command;
    }
}
