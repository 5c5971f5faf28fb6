namespace PrunerPipeline.Training.Benchmarks;

/// <summary>
/// A training benchmark's numbers. Model FLOPs per token follow the PaLM appendix estimate
/// 6·N + 12·L·d·T (N = parameters in matmuls, i.e. without the input embedding; L layers; d hidden size; T sequence length),
/// counted for forward + backward; MFU = achieved model FLOP/s ÷ the measured matmul peak of the same process.
/// </summary>
/// <param name="PeakResidentMiB">Peak resident memory of the process (VmHWM), MiB.</param>
public sealed record TrainingThroughput(
    string Model, long Parameters, int BatchSize, int SequenceLength, int Threads, int MeasuredSteps, double TokensPerSecond,
    double SecondsPerStep, double ModelFlopsPerToken, double AchievedGflops, double MatmulPeakGflops, double PeakResidentMiB)
{
    public double Mfu => AchievedGflops / MatmulPeakGflops;
}
