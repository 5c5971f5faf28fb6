using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench matmul</c>: this process's fp32 matmul peak and read bandwidth (<see cref="MatmulPeak"/>).</summary>
internal static class Matmul
{
    public static Command Create()
    {
        var threads = BenchOutput.ThreadsOption();
        var command = new Command("matmul", "fp32 matmul peak (GFLOP/s) and memory read bandwidth (GB/s) of this process.") { threads };
        command.SetAction(parseResult =>
        {
            var t = BenchOutput.ApplyThreads(parseResult.GetValue(threads));
            var gflops = MatmulPeak.MeasureBestGflops();
            return BenchOutput.Print(new { matmul_gflops = gflops, read_bandwidth_gbps = MatmulPeak.MeasureReadBandwidthGbps(), threads = t });
        });
        return command;
    }
}
