using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench logprobs</c>: teacher-forced log-prob throughput (<see cref="LogProbsBenchmark"/>).</summary>
internal static class LogProbs
{
    public static Command Create()
    {
        var model = BenchOutput.ModelOption();
        var batch = new Option<int>("--batch") { Description = "Sequences per pass.", Required = true };
        var sequenceLength = new Option<int>("--seq-len") { Description = "Tokens per sequence (a quarter prompt, the rest completion).", Required = true };
        var threads = BenchOutput.ThreadsOption();
        var command = new Command("logprobs", "Teacher-forced completion log-prob throughput (no gradients): one warm-up pass, then three timed.") { model, batch, sequenceLength, threads };
        command.SetAction(parseResult =>
        {
            var (b, s) = (parseResult.GetValue(batch), parseResult.GetValue(sequenceLength));
            if (b < 1 || s < 2)
                return BenchOutput.Fail("--batch must be at least 1 and --seq-len at least 2");
            var t = BenchOutput.ApplyThreads(parseResult.GetValue(threads));
            var (causalLm, _) = BenchOutput.LoadModel(parseResult.GetValue(model)!);
            using var loaded = causalLm;
            var result = LogProbsBenchmark.Run(causalLm, b, s);
            return BenchOutput.Print(new { tokens_per_second = result.TokensPerSecond, seconds = result.Seconds, batch = b, seq_len = s, threads = t });
        });
        return command;
    }
}
