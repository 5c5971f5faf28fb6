using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Grpo;

/// <summary>
/// Group-relative advantages: every sample of one problem's group of G is compared with the group's own mean, so no
/// value network is needed.
/// <code>
///     Standardised:  Â_i = (r_i − mean(r)) / (std(r) + ε)     GRPO, "DeepSeekMath", Shao et al., arXiv 2402.03300
///     MeanOnly:      Â_i =  r_i − mean(r)                      Dr. GRPO, "Understanding R1-Zero-Like Training", Liu et al., arXiv 2503.20783
/// </code>
/// The advantage of sample i applies to every one of its tokens (outcome supervision).
/// <para>
/// std is the population standard deviation (divide by G), the one <see cref="Standardisation"/> computes. The paper
/// does not say which; common implementations (TRL, verl) use torch's default sample std (divide by G − 1), which
/// gives advantages smaller by √((G − 1)/G) — for G = 4, 0.866 instead of 1. A group whose rewards are all equal
/// (std ≤ <see cref="Standardisation.MinStd"/>) carries no preference and gets exactly 0 under both normalisations,
/// so a float residue of the mean cannot turn into a gradient.
/// </para>
/// </summary>
public static class GroupAdvantages
{
    /// <summary>ε of the standardised form, guarding the division (verl's value).</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <summary>One advantage per reward of <paramref name="rewards"/> (one problem's group), in the same order.</summary>
    public static double[] Compute(IReadOnlyList<double> rewards, GroupNormalisation normalisation, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (rewards.Count == 0)
        {
            throw new ArgumentException("A group needs at least one reward", nameof(rewards));
        }
        if (rewards.Any(r => !double.IsFinite(r)))
        {
            throw new ArgumentOutOfRangeException(nameof(rewards), "Every reward must be a finite number");
        }
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number ≥ 0");
        }

        var (mean, std) = Standardisation.MeanAndStd(rewards);
        if (std <= Standardisation.MinStd)
        {
            return new double[rewards.Count];
        }
        return normalisation switch
        {
            GroupNormalisation.Standardised => rewards.Select(r => (r - mean) / (std + epsilon)).ToArray(),
            GroupNormalisation.MeanOnly => rewards.Select(r => r - mean).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(normalisation), normalisation, "normalisation must be Standardised or MeanOnly"),
        };
    }
}
