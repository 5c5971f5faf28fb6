using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Tests;

internal static class SampleFactory
{
    public static TrainingSample Sample(string problem, int index, int length, bool correct, double reward = 0)
    {
        var tokens = Enumerable.Range(0, length).Select(t => 1 + (t + index) % 14).ToArray();
        return new TrainingSample(problem, index, [15, 2 + index % 5], tokens, tokens.Select(_ => -2.5f).ToArray(), correct, reward, length);
    }

    /// <summary>A small synthetic training set: per problem K samples of varied length and correctness, rewards favouring short correct ones.</summary>
    public static IReadOnlyList<TrainingSample> Set(int problems, int perProblem, int seed = 3)
    {
        var random = new Random(seed);
        var samples = new List<TrainingSample>();
        for (var p = 0; p < problems; p++)
        {
            for (var k = 0; k < perProblem; k++)
            {
                var length = 2 + random.Next(10);
                var correct = random.NextDouble() < 0.7;
                var tokens = Enumerable.Range(0, length).Select(_ => 1 + random.Next(14)).ToArray();
                var logProbs = tokens.Select(_ => (float)(-1.5 - random.NextDouble())).ToArray();
                var reward = 6.0 / length - 1 + 2 * ((correct ? 1 : 0) - 0.7);
                samples.Add(new TrainingSample($"p{p:D3}", k, [15, 1 + p % 14], tokens, logProbs, correct, reward, length));
            }
        }
        return samples;
    }
}
