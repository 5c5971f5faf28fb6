using System.Text.Json.Serialization;

namespace PrunerPipeline.Training.Benchmarks;

/// <summary>
/// A training benchmark's numbers. Model FLOPs per token follow the PaLM appendix estimate
/// 6·N + 12·L·d·T (N = parameters in matmuls, i.e. without the input embedding; L layers; d hidden size; T sequence length),
/// counted for forward + backward; MFU = achieved model FLOP/s ÷ the measured matmul peak of the same process.
/// </summary>
/// <param name="PeakResidentMiB">Peak resident memory of the process (VmHWM), MiB.</param>
/// <remarks>The JSON names are `pruner bench train`'s fields (scripts and docs/benchmarks.md read them).</remarks>
public sealed record TrainingThroughput(
    string Model, long Parameters, [property: JsonPropertyName("batch")] int BatchSize, [property: JsonPropertyName("seq_len")] int SequenceLength,
    int Threads, [property: JsonPropertyName("steps")] int MeasuredSteps, double TokensPerSecond, double SecondsPerStep, double ModelFlopsPerToken,
    double AchievedGflops, double MatmulPeakGflops, [property: JsonPropertyName("peak_memory_mb")] double PeakResidentMiB)
{
    public double Mfu => AchievedGflops / MatmulPeakGflops;
}
