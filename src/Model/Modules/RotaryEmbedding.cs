using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// Rotary position embeddings in the Hugging Face "half rotation" convention: the head dimension is split in two halves
/// that rotate together, frequency θ^(−2i/d). Holds no parameters (the inverse frequencies are not in a checkpoint).
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] inverseFrequencies;

    public RotaryEmbedding(int headDim, double theta)
    {
        inverseFrequencies = new float[headDim / 2];
        for (var i = 0; i < inverseFrequencies.Length; i++)
            inverseFrequencies[i] = (float)(1.0 / Math.Pow(theta, 2.0 * i / headDim));
    }

    /// <summary>cos and sin of shape (B, T, headDim) for position ids (B, T).</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inv = tensor(inverseFrequencies, device: positionIds.device);
        var freqs = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * inv;
        var emb = cat([freqs, freqs], -1);
        return (emb.cos().to_type(dtype).MoveToOuterDisposeScope(), emb.sin().to_type(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>x (B, heads, T, D) rotated by cos/sin (B, T, D).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([-x2, x1], -1);
        return (x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
