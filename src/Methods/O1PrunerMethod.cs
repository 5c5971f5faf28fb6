using System.Globalization;
using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>
/// Length-Harmonizing Fine-Tuning (Luo et al., arXiv 2501.12570; DESIGN.md §1.3): off-policy PPO-clip on the
/// reference model's own samples with Â from R_LH. Selection: the run's sample budget per problem (0 = all K),
/// reward clipped to the trainer's [RewardClipMin, RewardClipMax], then raw / standardised over the set / per batch as
/// the run's <c>advantage</c> says. Ratio per token (the paper) or per sequence (the authors' code).
/// </summary>
public sealed class O1PrunerMethod : PruningMethodDefinition
{
    public override PruningMethod Key => PruningMethod.O1Pruner;

    public override string Name => "O1-Pruner";

    public override MethodStages Stages => MethodStages.SamplingAndTraining;

    /// <summary>"O1-Pruner (λ=2)", with ", 3 rounds" when iterated; with another reward than R_LH it is that reward under O1-Pruner's PPO.</summary>
    public override string Label(StartPruningRun run)
    {
        var rounds = run.Rounds > 1
            ? string.Create(CultureInfo.InvariantCulture, $", {run.Rounds} rounds{(run.Baseline == RoundBaseline.Original ? ", original baseline" : "")}")
            : "";
        return run.LengthReward == LengthRewardNames.Rlh
            ? string.Create(CultureInfo.InvariantCulture, $"O1-Pruner (λ={run.Lambda:0.##}{rounds})")
            : $"Off-policy PPO, {run.LengthReward} reward{(run.LengthTarget is { } t ? string.Create(CultureInfo.InvariantCulture, $" (target {t})") : "")}{rounds}";
    }

    public override double? ReportedLambda(StartPruningRun run) => run.Lambda;

    public override TRecipe CreateRecipe<TRecipe>(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings,
        IRecipeBuilder<TRecipe> recipes) =>
        recipes.PpoClip(
            RewardPreparation.Prepare(samples, new RewardPreparationOptions
            {
                SamplesPerProblem = run.TrainingSamplesPerProblem,
                ClipMin = settings.RewardClipMin,
                ClipMax = settings.RewardClipMax,
                Standardise = run.Advantage == AdvantageMode.Standardised,
                Seed = run.Seed,
            }),
            new PpoClipOptions
            {
                ClipEpsilon = run.ClipEpsilon,
                ClipEpsilonHigh = run.ClipEpsilonHigh,
                Granularity = run.RatioGranularity,
                Aggregation = settings.Aggregation,
                NormaliseAdvantagesPerBatch = run.Advantage == AdvantageMode.Batch,
                KlCoefficient = settings.KlCoefficient,
                EntropyCoefficient = settings.EntropyCoefficient,
            });
}
