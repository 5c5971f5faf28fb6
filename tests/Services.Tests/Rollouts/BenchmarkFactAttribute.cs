namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>A fact that runs only when <c>PRUNER_BENCHMARKS=1</c>: benchmarks take minutes and their numbers go into docs/benchmarks.md.</summary>
internal sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PRUNER_BENCHMARKS") != "1")
        {
            Skip = "benchmark: set PRUNER_BENCHMARKS=1 to run";
        }
    }
}
