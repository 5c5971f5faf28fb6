namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// <c>kimi</c>: the length penalty of Kimi k1.5 ("Kimi k1.5: Scaling Reinforcement Learning with LLMs", Kimi Team,
/// arXiv 2501.12599, "Length Penalty"). Over the group's G samples, with L_min and L_max its shortest and longest:
/// <code>
///     λ_i = 0.5 − (L_i − L_min) / (L_max − L_min)            (λ_i = 0 when L_max = L_min)
///     len_reward_i = λ_i            if sample i is correct
///                  = min(0, λ_i)    otherwise
///     r_i = 1[correct_i] + w · len_reward_i
/// </code>
/// Shorter-than-midpoint correct solutions gain up to +0.5, longer ones lose up to −0.5; a wrong solution is never
/// rewarded for being short, only penalised for being long. The paper adds the length reward to the correctness
/// reward "with a weighting parameter" w (<see cref="LengthRewardOptions.KimiLengthWeight"/>, default 1).
/// <para>
/// Deviations: none in the formula. L_min and L_max span every sample of the group, right or wrong, as in the paper.
/// The paper's warm-up (training without the penalty first) is the trainer's schedule, not this reward's.
/// </para>
/// </summary>
public sealed class KimiLengthReward(double lengthWeight) : ILengthReward
{
    public const string RegistryKey = "kimi";

    public string Key => RegistryKey;

    public double LengthWeight { get; } = lengthWeight;

    public IReadOnlyList<double> Score(RewardGroup group)
    {
        var min = group.Samples.Min(s => s.Length);
        var max = group.Samples.Max(s => s.Length);
        return group.Samples.Select(s =>
        {
            var lambda = max == min ? 0.0 : 0.5 - (double)(s.Length - min) / (max - min);
            return s.Correct ? 1.0 + LengthWeight * lambda : LengthWeight * Math.Min(0.0, lambda);
        }).ToArray();
    }
}
