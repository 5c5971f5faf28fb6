using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Methods;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Loop;

/// <summary>
/// The recipes behind <see cref="IRecipeBuilder{TRecipe}"/>: what a method's <c>CreateRecipe</c> asks for, as the
/// training loop's <see cref="ITrainingRecipe"/>s, each named after <paramref name="method"/> (trainer_state.json records it).
/// </summary>
public sealed class TrainingRecipes(PruningMethod method) : IRecipeBuilder<ITrainingRecipe>
{
    public ITrainingRecipe PpoClip(IReadOnlyList<PolicyExample> examples, PpoClipOptions options) =>
        new O1PrunerRecipe(examples, new PpoClipObjective(options)) { Name = method.Key };

    public ITrainingRecipe Sft(IReadOnlyList<TrainingSample> samples) => new SftRecipe(samples) { Name = method.Key };

    public ITrainingRecipe Dpo(IReadOnlyList<PreferencePair> pairs, double beta) => new DpoRecipe(pairs, new DpoObjective(beta)) { Name = method.Key };
}
