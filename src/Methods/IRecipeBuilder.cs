using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>
/// The objectives a method's <see cref="PruningMethodDefinition.CreateRecipe{TRecipe}"/> can train its selected samples
/// with. Training implements it (<c>Training/Loop/TrainingRecipes</c>, one per method key), so a method file and the
/// registry need no TorchSharp; a method that needs a new objective adds it there and one member here.
/// </summary>
public interface IRecipeBuilder<out TRecipe>
{
    /// <summary>Off-policy PPO-clip on examples with advantages (O1-Pruner).</summary>
    TRecipe PpoClip(IReadOnlyList<PolicyExample> examples, PpoClipOptions options);

    /// <summary>Supervised fine-tuning on the samples' completions.</summary>
    TRecipe Sft(IReadOnlyList<TrainingSample> samples);

    /// <summary>DPO on (chosen, rejected) pairs with temperature <paramref name="beta"/>.</summary>
    TRecipe Dpo(IReadOnlyList<PreferencePair> pairs, double beta);
}
