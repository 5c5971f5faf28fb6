using PrunerPipeline.Model;
using PrunerPipeline.Model.Adapters;
using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.TrainerService.Policies;

/// <summary>Loads the project's decoder (<c>CausalLM.Load</c>) as a trainable policy, with or without a LoRA adapter.</summary>
public sealed class CausalLmPolicyLoader : IPolicyLoader
{
    public ITrainablePolicy Load(string modelFolder, string device) => new CausalLmPolicy(CausalLM.Load(modelFolder, device));

    /// <remarks>
    /// The base under the adapter is frozen, so it stays in the checkpoint's dtype (a BF16 base stays BF16: 2 bytes a
    /// parameter instead of 4; the LoRA matrices are float32). Loaded as float32, the 1.5B shape's base alone was
    /// 7.1 GB and its run was OOM-killed at 20.6 GB next to the cached reference.
    /// </remarks>
    public ITrainablePolicy LoadWithAdapter(string baseFolder, string device, PolicyAdapter adapter)
    {
        var model = CausalLM.Load(baseFolder, device, WeightDtype.AsStored);
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
