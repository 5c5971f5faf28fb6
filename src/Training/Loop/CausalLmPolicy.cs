using PrunerPipeline.Model;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>The project's decoder as a trainable policy: teacher-forced log-probs and Hugging Face saving come from src/Model.</summary>
public sealed class CausalLmPolicy(CausalLM model) : ITrainablePolicy, IDisposable
{
    public CausalLM Model { get; } = model;

    public nn.Module Module => Model.Module;

    public Device Device => Model.Device;

    public (Tensor LogProbs, Tensor Mask) CompletionLogProbs(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions) =>
        TeacherForcing.CompletionLogProbs(Model.Module, prompts, completions);

    /// <summary>Weights, config, generation config, and the tokenizer files of the folder the policy was loaded from.</summary>
    public void Save(string directory) => Model.Save(directory);

    public void Dispose() => Model.Dispose();
}
