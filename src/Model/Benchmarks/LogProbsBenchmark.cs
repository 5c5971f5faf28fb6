using System.Diagnostics;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>What <see cref="LogProbsBenchmark.Run"/> measured: tokens (prompt + completion) per second and seconds per pass.</summary>
public sealed record LogProbsBenchmarkResult(double TokensPerSecond, double Seconds);

/// <summary>
/// Teacher-forced completion log-prob throughput without gradients (`pruner bench logprobs`): <c>batch</c> random
/// sequences of <c>sequenceLength</c> ids (a quarter prompt, the rest completion, seed 7); one warm-up pass, then the
/// mean of three timed passes.
/// </summary>
public static class LogProbsBenchmark
{
    public static LogProbsBenchmarkResult Run(CausalLM model, int batch, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (batch < 1 || sequenceLength < 2)
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), "batch at least 1, sequence length at least 2");
        var random = new Random(7);
        var promptLength = Math.Max(1, sequenceLength / 4);
        var prompts = BenchmarkPrompts.Draw(random, batch, promptLength, model.Config.VocabSize);
        var completions = BenchmarkPrompts.Draw(random, batch, sequenceLength - promptLength, model.Config.VocabSize);
        using var noGrad = no_grad();
        void Pass()
        {
            var (logProbs, mask) = TeacherForcing.CompletionLogProbs(model.Module, prompts, completions);
            logProbs.Dispose();
            mask.Dispose();
        }
        Pass();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
            Pass();
        var seconds = clock.Elapsed.TotalSeconds / 3;
        return new LogProbsBenchmarkResult((double)batch * sequenceLength / seconds, seconds);
    }
}
