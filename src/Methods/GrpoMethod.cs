using System.Globalization;
using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Grpo;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>
/// GRPO (Shao et al., "DeepSeekMath", arXiv 2402.03300), online on the bus: policy update t samples G =
/// <c>samplesPerProblem</c> solutions for each of <c>problemsPerStep</c> problems from policy version t−1, the reward
/// service scores them with the run's <c>lengthReward</c>, and the trainer takes one PPO-clip step with group-relative
/// advantages (<see cref="GroupAdvantages"/>: standardised, or Dr. GRPO's mean-only) and publishes version t.
/// <code>
///     maximise  1/Σ|o_i| · Σ_i Σ_t min(r_i,t · Â_i, clip(r_i,t, 1 − ε, 1 + ε_high) · Â_i),   r_i,t = π_θ(o_i,t | ·) / π_old(o_i,t | ·)
/// </code>
/// Token-level ratios, token-level aggregation over the update's tokens (DAPO, arXiv 2503.14476: long solutions are not
/// down-weighted per token), clip-higher when the run sets <c>clipEpsilonHigh</c>. π_old is the policy that sampled the
/// solution (its log-probs are recorded by the rollout worker), which may be up to <c>maxStaleness</c> versions behind.
/// <para>
/// Each update is one pass (one PPO epoch) over its samples in optimizer steps of the run's <c>batchSize</c> (verl's
/// ppo_mini_batch_size): the first step is on-policy, the later ones are corrected by the clipped ratio.
/// </para>
/// <para>
/// With <c>klCoefficient</c> β &gt; 0 the loss adds β · KL(π_θ ‖ π_ref) per token with DeepSeekMath's estimator
/// (eq. 4: π_ref/π_θ − log(π_ref/π_θ) − 1), π_ref the run's base model, whose log-probs of every sample the rollout
/// worker records after sampling (<c>klRefLogProbs</c>). Off by default, as in DAPO and Dr. GRPO.
/// </para>
/// </summary>
public sealed class GrpoMethod : PruningMethodDefinition
{
    public static PruningMethod MethodKey { get; } = new("grpo");

    public override PruningMethod Key => MethodKey;

    public override string Name => "GRPO";

    public override MethodStages Stages => MethodStages.Online;

    /// <summary>"GRPO, kimi reward (G=8, 16 updates)".</summary>
    public override string Label(StartPruningRun run)
    {
        var inPrompt = LengthTargetRange.PromptTarget(run) is null ? "" : ", in the prompt";
        var target = run.LengthTarget is { } t ? string.Create(CultureInfo.InvariantCulture, $" (target {t}{inPrompt})") : "";
        return $"GRPO, {run.LengthReward} reward{target}{(run.GroupNormalisation == GroupNormalisation.MeanOnly ? ", Dr. GRPO" : "")}";
    }

    public override TRecipe CreateRecipe<TRecipe>(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings,
        IRecipeBuilder<TRecipe> recipes) =>
        recipes.PpoClip(
            Advantages(samples, run.GroupNormalisation),
            new PpoClipOptions
            {
                ClipEpsilon = run.ClipEpsilon,
                ClipEpsilonHigh = run.ClipEpsilonHigh,
                Granularity = RatioGranularity.Token,
                Aggregation = LossAggregation.TokenMean,
                NormaliseAdvantagesPerBatch = false,
                EntropyCoefficient = settings.EntropyCoefficient,
                KlCoefficient = run.KlCoefficient,
                KlPenalty = run.KlCoefficient > 0 ? KlPenalty.RecordedReference : KlPenalty.SamplingPolicy,
            });

    /// <summary>Each problem's samples are one group: Â_i from the group's rewards, applied to every token of sample i.</summary>
    public static IReadOnlyList<PolicyExample> Advantages(IReadOnlyList<TrainingSample> samples, GroupNormalisation normalisation) =>
        samples
            .GroupBy(s => s.ProblemId)
            .SelectMany(group =>
            {
                var members = group.OrderBy(s => s.SampleIndex).ToList();
                var advantages = GroupAdvantages.Compute(members.Select(s => s.Reward).ToList(), normalisation);
                return members.Select((s, i) => new PolicyExample(s, advantages[i]));
            })
            .ToList();
}
