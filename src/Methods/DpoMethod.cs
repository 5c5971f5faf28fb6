using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>The DPO baseline (DESIGN.md §1.4): (shortest correct, longest correct) per problem as (chosen, rejected), β from the trainer's settings.</summary>
public sealed class DpoMethod : PruningMethodDefinition
{
    public override PruningMethod Key => PruningMethod.Dpo;

    public override string Name => "DPO";

    public override MethodStages Stages => MethodStages.SamplingAndTraining;

    public override TRecipe CreateRecipe<TRecipe>(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings,
        IRecipeBuilder<TRecipe> recipes) =>
        recipes.Dpo(DpoPairSelection.Select(samples), settings.DpoBeta);
}
