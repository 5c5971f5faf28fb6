using PrunerPipeline.Training.Methods;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Services.Tests.Methods;

/// <summary>
/// A throw-away method that exists only in this test project, to show what adding a method takes: this file and one
/// registration line (<see cref="MethodPipelineHarness"/>). SFT on the single shortest correct sample per problem.
/// </summary>
internal sealed class ShortestCorrectSftMethod : PruningMethodDefinition
{
    public override PruningMethod Key { get; } = new("shortest-sft");

    public override string Name => "SFT (shortest correct only)";

    public override MethodStages Stages => MethodStages.SamplingAndTraining;

    public override TRecipe CreateRecipe<TRecipe>(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings,
        IRecipeBuilder<TRecipe> recipes) =>
        recipes.Sft(SftSelection.Select(samples, perProblem: 1));
}
