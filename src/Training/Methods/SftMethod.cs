using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Loop;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>The SFT baseline (DESIGN.md §1.4): maximum likelihood on the two shortest correct samples per problem.</summary>
public sealed class SftMethod : PruningMethodDefinition
{
    public override PruningMethod Key => PruningMethod.Sft;

    public override string Name => "SFT";

    public override MethodStages Stages => MethodStages.SamplingAndTraining;

    public override ITrainingRecipe CreateRecipe(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings) =>
        new SftRecipe(SftSelection.Select(samples));
}
