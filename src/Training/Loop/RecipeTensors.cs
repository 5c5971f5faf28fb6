using PrunerPipeline.Training.Samples;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>Shared tensor plumbing of the recipes.</summary>
internal static class RecipeTensors
{
    /// <summary>(B, T) recorded reference log-probs, left-aligned and zero-padded to the policy's T.</summary>
    public static Tensor ReferenceLogProbs(IReadOnlyList<TrainingSample> samples, long width, Device device) =>
        Recorded(samples, s => s.RefLogProbs, width, device);

    /// <summary>(B, T) the base model's recorded log-probs (a KL penalty's reference), laid out as <see cref="ReferenceLogProbs"/>.</summary>
    public static Tensor KlReferenceLogProbs(IReadOnlyList<TrainingSample> samples, long width, Device device) =>
        Recorded(samples, s => s.RequireKlRefLogProbs(), width, device);

    private static Tensor Recorded(IReadOnlyList<TrainingSample> samples, Func<TrainingSample, float[]> select, long width, Device device)
    {
        var values = new float[samples.Count * width];
        for (var row = 0; row < samples.Count; row++)
        {
            var logProbs = select(samples[row]);
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
