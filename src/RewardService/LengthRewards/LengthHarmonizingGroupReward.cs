namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// <c>rlh</c>: O1-Pruner's Length-Harmonizing reward (Luo et al., arXiv 2501.12570) on online samples,
/// R_LH = L̄_ref / L − 1 + λ · (A − Ā_ref), each sample scored against the reference model's pre-sampled baseline of
/// its problem (<see cref="RewardGroup.Reference"/>). The formula and its one guard (L floored at 1 token) are
/// <see cref="LengthHarmonizingReward"/>'s; this class only applies it to a group.
/// <para>
/// Deviation from the paper: O1-Pruner scores the reference model's own samples off-policy; here the samples come from
/// the current policy, while the baseline stays the frozen reference's.
/// </para>
/// </summary>
public sealed class LengthHarmonizingGroupReward(double lambda) : ILengthReward
{
    public const string RegistryKey = "rlh";

    private readonly LengthHarmonizingReward reward = new(lambda);

    public string Key => RegistryKey;

    public IReadOnlyList<double> Score(RewardGroup group)
    {
        var baseline = group.Reference
            ?? throw new ArgumentException($"{RegistryKey} needs the problem's reference baseline (the group's {nameof(RewardGroup.Reference)})", nameof(group));
        return group.Samples.Select(s => reward.Score(baseline, s.Length, s.Correct)).ToArray();
    }
}
