using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.TrainerService.Policies;

/// <summary>Loads a Hugging Face-layout folder as a trainable policy (the project's decoder by default).</summary>
public interface IPolicyLoader
{
    ITrainablePolicy Load(string modelFolder, string device);

    /// <summary>The base in <paramref name="baseFolder"/> with a LoRA adapter: only the adapter trains.</summary>
    ITrainablePolicy LoadWithAdapter(string baseFolder, string device, PolicyAdapter adapter) =>
        throw new NotSupportedException($"{GetType().Name} cannot train adapters");
}
