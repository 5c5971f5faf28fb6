using PrunerPipeline.Model;
using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.TrainerService.Policies;

/// <summary>Loads the project's decoder (<c>CausalLM.Load</c>) as a trainable policy.</summary>
public sealed class CausalLmPolicyLoader : IPolicyLoader
{
    public ITrainablePolicy Load(string modelFolder, string device) => new CausalLmPolicy(CausalLM.Load(modelFolder, device));
}
