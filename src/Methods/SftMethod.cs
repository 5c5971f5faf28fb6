using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>The SFT baseline (DESIGN.md §1.4): maximum likelihood on the two shortest correct samples per problem.</summary>
public sealed class SftMethod : PruningMethodDefinition
{
    public override PruningMethod Key => PruningMethod.Sft;

    public override string Name => "SFT";

    public override MethodStages Stages => MethodStages.SamplingAndTraining;

    public override TRecipe CreateRecipe<TRecipe>(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings,
        IRecipeBuilder<TRecipe> recipes) =>
        recipes.Sft(SftSelection.Select(samples));
}
