namespace PrunerPipeline.Training.Benchmarks;

/// <summary>
/// A training benchmark's numbers. Model FLOPs per token follow the PaLM appendix estimate
/// 6·N + 12·L·d·T (N = parameters in matmuls, i.e. without the input embedding; L layers; d hidden size; T sequence length),
/// counted for forward + backward; MFU = achieved model FLOP/s ÷ the measured matmul peak of the same process.
/// </summary>
public sealed record TrainingThroughput
{
    public required string Model { get; init; }
    public required long Parameters { get; init; }
    public required int BatchSize { get; init; }
    public required int SequenceLength { get; init; }
    public required int Threads { get; init; }
    public required int MeasuredSteps { get; init; }
    public required double TokensPerSecond { get; init; }
    public required double SecondsPerStep { get; init; }
    public required double ModelFlopsPerToken { get; init; }
    public required double AchievedGflops { get; init; }
    public required double MatmulPeakGflops { get; init; }
    public double Mfu => AchievedGflops / MatmulPeakGflops;
    /// <summary>Peak resident memory of the process (VmHWM), MiB.</summary>
    public required double PeakResidentMiB { get; init; }
}
