using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Loop;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>The DPO baseline (DESIGN.md §1.4): (shortest correct, longest correct) per problem as (chosen, rejected), β from the trainer's settings.</summary>
public sealed class DpoMethod : PruningMethodDefinition
{
    public override PruningMethod Key => PruningMethod.Dpo;

    public override string Name => "DPO";

    public override MethodStages Stages => MethodStages.SamplingAndTraining;

    public override ITrainingRecipe CreateRecipe(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings) =>
        new DpoRecipe(DpoPairSelection.Select(samples), new DpoObjective(settings.DpoBeta));
}
