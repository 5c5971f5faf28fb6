namespace PrunerPipeline.Model.Benchmarks;

/// <summary>Random token ids for the benchmarks: what they decode does not matter, only the shape.</summary>
public static class BenchmarkPrompts
{
    /// <summary><paramref name="count"/> rows of <paramref name="length"/> ids in [0, vocabulary), drawn row by row from <paramref name="random"/>.</summary>
    public static int[][] Draw(Random random, int count, int length, int vocabulary) =>
        Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(vocabulary)).ToArray()).ToArray();
}
