namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// <c>l1max</c>: the LCPO-Max reward of L1 ("L1: Controlling How Long A Reasoning Model Thinks With Reinforcement
/// Learning", Aggarwal and Welleck, arXiv 2503.04697), for a target (maximum) length n_target:
/// <code>
///     r_i = 1[correct_i] · clip(α · (n_target − L_i) + δ, 0, 1)
/// </code>
/// A correct solution exactly at the target earns δ, one shorter earns more (up to 1), one longer less (down to 0); a
/// wrong solution earns 0 whatever its length.
/// <para>
/// Defaults α = 0.001, δ = 0.5: the values the released L1 code computes — it scores (clip((n_target − L)/500, −1, 1) + 1)/2,
/// which is the formula above with α = 1/1000 and δ = 1/2. The target is the group's (<see cref="RewardGroup.TargetLength"/>):
/// in an online run each prompt asks for its own n ("Think for maximum n tokens.", drawn per problem and update from
/// <c>LengthTargetRange</c>, recorded on the samples), as in L1; otherwise the run-wide <see cref="LengthRewardOptions.L1TargetLength"/>.
/// Deviation: L1 draws n from [100, 4000]; here from [⌈t/2⌉, 2t] around the run's <c>lengthTarget</c> t (the built-in task's
/// solutions are tens of tokens long).
/// </para>
/// </summary>
public sealed class L1MaxReward(double alpha, double delta, int? defaultTargetLength) : ILengthReward
{
    public const string RegistryKey = "l1max";

    public string Key => RegistryKey;

    public double Alpha { get; } = alpha;

    public double Delta { get; } = delta;

    public int? DefaultTargetLength { get; } = defaultTargetLength;

    public IReadOnlyList<double> Score(RewardGroup group)
    {
        var target = group.TargetLength ?? DefaultTargetLength
            ?? throw new ArgumentException($"{RegistryKey} needs a target length: the group's TargetLength or the options' {nameof(LengthRewardOptions.L1TargetLength)}", nameof(group));
        return group.Samples
            .Select(s => s.Correct ? Math.Clamp(Alpha * (target - s.Length) + Delta, 0.0, 1.0) : 0.0)
            .ToArray();
    }
}
