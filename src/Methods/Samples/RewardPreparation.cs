namespace PrunerPipeline.Training.Samples;

/// <summary>Turns scored samples into <see cref="PolicyExample"/>s: sample budget, reward clipping, standardisation.</summary>
public static class RewardPreparation
{
    public static IReadOnlyList<PolicyExample> Prepare(IReadOnlyList<TrainingSample> samples, RewardPreparationOptions options)
    {
        if (options.SamplesPerProblem < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SamplesPerProblem, "SamplesPerProblem must be 0 (all) or positive");
        }
        if (options.ClipMin is { } low && options.ClipMax is { } high && low > high)
        {
            throw new ArgumentException($"ClipMin ({low}) must not exceed ClipMax ({high})", nameof(options));
        }

        var selected = SelectBudget(samples, options.SamplesPerProblem, options.Seed);
        var rewards = selected.Select(s => Clip(s.Reward, options.ClipMin, options.ClipMax)).ToArray();
        if (options.Standardise)
        {
            rewards = Standardisation.Standardise(rewards);
        }
        return selected.Select((s, i) => new PolicyExample(s, rewards[i])).ToArray();
    }

    /// <summary>
    /// Per problem, <paramref name="perProblem"/> samples drawn without replacement (0 = all), in a deterministic order:
    /// problems ordinal by id, samples by index, the draw seeded by <paramref name="seed"/> and the problem id.
    /// </summary>
    public static IReadOnlyList<TrainingSample> SelectBudget(IReadOnlyList<TrainingSample> samples, int perProblem, int seed)
    {
        var result = new List<TrainingSample>();
        foreach (var problem in samples.GroupBy(s => s.ProblemId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = problem.OrderBy(s => s.SampleIndex).ToList();
            if (perProblem == 0 || ordered.Count <= perProblem)
            {
                result.AddRange(ordered);
                continue;
            }
            var random = new Random(unchecked(seed * 486187739 + StableHash(problem.Key)));
            var picked = ordered.ToArray();
            random.Shuffle(picked);
            result.AddRange(picked.Take(perProblem).OrderBy(s => s.SampleIndex));
        }
        return result;
    }

    private static double Clip(double value, double? min, double? max)
    {
        if (min is { } low && value < low)
        {
            return low;
        }
        if (max is { } high && value > high)
        {
            return high;
        }
        return value;
    }

    // string.GetHashCode is randomised per process; the draw must be the same after a restart.
    internal static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash;
        }
    }
}
