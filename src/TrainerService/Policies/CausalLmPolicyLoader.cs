using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.TrainerService.Policies;

/// <summary>Loads the project's decoder (<c>CausalLM.Load</c>) as a trainable policy.</summary>
public sealed class CausalLmPolicyLoader : IPolicyLoader
{
    public ITrainablePolicy Load(string modelFolder, string device) =>
        throw new NotSupportedException("The decoder (src/Model CausalLM) has not landed on this branch yet");
}
