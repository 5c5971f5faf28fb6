using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>
/// What the trainer needs from a policy: its parameters (Hugging Face names, so embeddings and layers can be frozen
/// by name), differentiable teacher-forced log-probs of completions, and a way to save an HF-layout checkpoint.
/// The trainer service adapts the project's decoder to it; tests can plug in anything small.
/// </summary>
public interface ITrainablePolicy
{
    nn.Module Module { get; }

    Device Device { get; }

    /// <summary>
    /// log π_θ(y_t | x, y_&lt;t) for every completion token, left-aligned: (LogProbs (B, T), Mask (B, T)) with
    /// T the longest completion and Mask 1 on real tokens. Differentiable.
    /// </summary>
    (Tensor LogProbs, Tensor Mask) CompletionLogProbs(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions);

    /// <summary>Writes the weights (and config) as a Hugging Face-layout folder.</summary>
    void Save(string directory);
}
