using System.Diagnostics;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>
/// The machine's practical peaks in this process, on the current thread setting: float32 GFLOP/s of a square matmul
/// and the memory read bandwidth (`pruner bench matmul`; `bench train` divides by the first for its MFU).
/// </summary>
public static class MatmulPeak
{
    public static double MeasureGflops(int size = 1024, int repeats = 20)
    {
        using var scope = NewDisposeScope();
        var a = randn(size, size);
        var b = randn(size, size);
        for (var i = 0; i < 3; i++)
        {
            mm(a, b).Dispose();
        }
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            mm(a, b).Dispose();
        }
        var seconds = watch.Elapsed.TotalSeconds;
        return 2.0 * size * size * size * repeats / seconds / 1e9;
    }

    /// <summary>The best of <paramref name="tries"/> <see cref="MeasureGflops"/> runs.</summary>
    public static double MeasureBestGflops(int tries = 3) => Enumerable.Range(0, tries).Max(_ => MeasureGflops());

    /// <summary>GB/s of summing a 256 MiB float tensor (every byte read once per pass), best of several passes.</summary>
    public static double MeasureReadBandwidthGbps()
    {
        using var scope = NewDisposeScope();
        var data = ones(64L * 1024 * 1024);
        data.sum().Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < 8; i++)
        {
            var clock = Stopwatch.StartNew();
            data.sum().item<float>();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return data.numel() * 4.0 / best / 1e9;
    }
}
