using PrunerPipeline.Model;
using PrunerPipeline.Model.Adapters;
using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.TrainerService.Policies;

/// <summary>Loads the project's decoder (<c>CausalLM.Load</c>) as a trainable policy, with or without a LoRA adapter.</summary>
public sealed class CausalLmPolicyLoader : IPolicyLoader
{
    public ITrainablePolicy Load(string modelFolder, string device) => new CausalLmPolicy(CausalLM.Load(modelFolder, device));

    public ITrainablePolicy LoadWithAdapter(string baseFolder, string device, PolicyAdapter adapter)
    {
        var model = CausalLM.Load(baseFolder, device);
        try
        {
            LoraInjection.Apply(model.Module, adapter.Options, adapter.Seed);
            if (adapter.ResumeFolder is { } resume)
            {
                PeftAdapter.LoadWeights(resume, model.Module);
            }
            return new CausalLmPolicy(model, adapter.Options, adapter.BaseModel);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
