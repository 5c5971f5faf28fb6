using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.TrainerService.Policies;

/// <summary>Loads a Hugging Face-layout folder as a trainable policy (the project's decoder by default).</summary>
public interface IPolicyLoader
{
    ITrainablePolicy Load(string modelFolder, string device);
}
