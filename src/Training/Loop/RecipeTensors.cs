using PrunerPipeline.Training.Samples;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>Shared tensor plumbing of the recipes.</summary>
internal static class RecipeTensors
{
    /// <summary>(B, T) recorded reference log-probs, left-aligned and zero-padded to the policy's T.</summary>
    public static Tensor ReferenceLogProbs(IReadOnlyList<TrainingSample> samples, long width, Device device)
    {
        var values = new float[samples.Count * width];
        for (var row = 0; row < samples.Count; row++)
        {
            var logProbs = samples[row].RefLogProbs;
            Array.Copy(logProbs, 0, values, row * width, Math.Min(logProbs.Length, width));
        }
        return tensor(values, [samples.Count, width]).to(device);
    }

    public static (Tensor LogProbs, Tensor Mask) PolicyLogProbs(ITrainablePolicy policy, IReadOnlyList<TrainingSample> samples)
    {
        var (logProbs, mask) = policy.CompletionLogProbs(
            samples.Select(s => s.PromptTokenIds).ToArray(),
            samples.Select(s => s.TokenIds).ToArray());
        return (logProbs, mask.to_type(logProbs.dtype));
    }
}
