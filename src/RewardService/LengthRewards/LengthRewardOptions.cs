namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// The settings of every length reward in <see cref="LengthRewardRegistry"/>, one property per coefficient, named after
/// the reward it belongs to. Defaults are the papers' values where the paper or its released code gives one (see each
/// reward's doc comment).
/// </summary>
public sealed record LengthRewardOptions
{
    /// <summary><c>kimi</c>: weight of the length reward added to the correctness reward (Kimi k1.5 adds it "with a weighting parameter").</summary>
    public double KimiLengthWeight { get; init; } = 1.0;

    /// <summary><c>shorterbetter</c>: α, the weight of 1[correct].</summary>
    public double ShorterBetterAlpha { get; init; } = 1.0;

    /// <summary><c>shorterbetter</c>: β, the penalty per token of distance to the sample optimal length.</summary>
    public double ShorterBetterBeta { get; init; } = 0.001;

    /// <summary><c>l1max</c>: α, the reward per token left unused below the target.</summary>
    public double L1Alpha { get; init; } = 0.001;

    /// <summary><c>l1max</c>: δ, the reward of a correct solution exactly at the target.</summary>
    public double L1Delta { get; init; } = 0.5;

    /// <summary><c>l1max</c>: the target length used for a group that carries none; null = every group must carry one.</summary>
    public int? L1TargetLength { get; init; }

    /// <summary><c>thinkprune</c>: the token limit per training stage; required for <c>thinkprune</c>.</summary>
    public LengthLimitSchedule? ThinkPruneSchedule { get; init; }

    /// <summary><c>rlh</c>: λ, the weight of O1-Pruner's accuracy term (2 was best in the paper).</summary>
    public double RlhLambda { get; init; } = 2.0;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        NonNegative(KimiLengthWeight, nameof(KimiLengthWeight));
        NonNegative(ShorterBetterAlpha, nameof(ShorterBetterAlpha));
        NonNegative(ShorterBetterBeta, nameof(ShorterBetterBeta));
        NonNegative(L1Alpha, nameof(L1Alpha));
        if (!double.IsFinite(L1Delta) || L1Delta < 0 || L1Delta > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(L1Delta), L1Delta, "L1Delta must lie in [0, 1]: the reward is clipped to [0, 1]");
        }
        if (L1TargetLength is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(L1TargetLength), L1TargetLength, "L1TargetLength must be > 0 tokens when set");
        }
        NonNegative(RlhLambda, nameof(RlhLambda));
    }

    private static void NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0");
        }
    }
}
