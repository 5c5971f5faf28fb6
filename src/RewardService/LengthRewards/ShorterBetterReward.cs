namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// <c>shorterbetter</c>: the reward of ShorterBetter ("ShorterBetter: Guiding Reasoning Models to Find Optimal
/// Inference Length for Efficient Reasoning", Yi, Wang and Li, arXiv 2504.21370). The group's Sample Optimal Length
/// is the length of its shortest correct sample, or the mean length of all G samples when none is correct (the paper's
/// rule), and
/// <code>
///     r_i = α · 1[correct_i] − β · |L_i − SOL|
/// </code>
/// so the shortest correct sample earns α and every other one loses β per token of distance from it.
/// <para>
/// Deviations: none in the formula. Defaults α = 1 (the paper trains with α ∈ {1, 2}) and β = 0.001 per token; on
/// our much shorter solutions the lead may want a larger β for the length term to matter.
/// </para>
/// </summary>
public sealed class ShorterBetterReward(double alpha, double beta) : ILengthReward
{
    public const string RegistryKey = "shorterbetter";

    public string Key => RegistryKey;

    public double Alpha { get; } = alpha;

    public double Beta { get; } = beta;

    /// <summary>SOL(G): the shortest correct length, or the mean length when no sample is correct.</summary>
    public static double SampleOptimalLength(RewardGroup group) =>
        group.Samples.Any(s => s.Correct)
            ? group.Samples.Where(s => s.Correct).Min(s => s.Length)
            : group.Samples.Average(s => (double)s.Length);

    public IReadOnlyList<double> Score(RewardGroup group)
    {
        var sol = SampleOptimalLength(group);
        return group.Samples.Select(s => Alpha * (s.Correct ? 1.0 : 0.0) - Beta * Math.Abs(s.Length - sol)).ToArray();
    }
}
