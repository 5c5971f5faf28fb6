using System.Diagnostics;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Benchmarks;

/// <summary>The machine's practical peak: float32 GFLOP/s of a square matmul in this process, on the current thread setting.</summary>
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
}
