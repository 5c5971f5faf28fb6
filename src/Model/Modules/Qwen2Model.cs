using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>The decoder stack without the LM head: embeddings, layers, final norm.</summary>
public sealed class Qwen2Model : nn.Module
{
    private readonly RotaryEmbedding rotary;
#pragma warning disable IDE1006 // Hugging Face state-dict names
    private readonly Embedding embed_tokens;
    private readonly ModuleList<Qwen2DecoderLayer> layers;
    private readonly Qwen2RMSNorm norm;
#pragma warning restore IDE1006

    public Qwen2Model(ModelConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(Qwen2Model))
    {
        rotary = new RotaryEmbedding(config.HeadDimension, config.RopeTheta);
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize, dtype: dtype);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new Qwen2DecoderLayer(config, dtype)).ToArray());
        norm = new Qwen2RMSNorm(config.HiddenSize, config.RmsNormEps, dtype);
        RegisterComponents();
    }

    public Embedding EmbedTokens => embed_tokens;

    internal IList<Qwen2DecoderLayer> Layers => layers;

    /// <summary>
    /// When on (and gradients are recorded, without a KV cache), each layer's forward is recomputed during backward and
    /// only the layers' inputs are kept (<see cref="LayerCheckpoint"/>): activation memory O(layers · B · T · hidden)
    /// instead of every intermediate of every layer, for one extra forward pass.
    /// </summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>Final hidden states (B, T, hidden) of <paramref name="inputIds"/> (B, T).</summary>
    /// <param name="positionIds">(B, T) rotary positions</param>
    /// <param name="mask">additive (B, 1, T, S), see <see cref="AttentionMask"/></param>
    /// <param name="cache">KV cache to append to (its <see cref="KvCache.Length"/> advances by T), or null for a full pass</param>
    public Tensor forward(Tensor inputIds, Tensor positionIds, Tensor mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var hidden = ResidentWeights.ToCompute(embed_tokens.forward(inputIds));
        var (cos, sin) = rotary.CosSin(positionIds, hidden.dtype);
        var past = cache?.Length ?? 0;
        var checkpointed = GradientCheckpointing && cache is null && is_grad_enabled();
        for (var i = 0; i < layers.Count; i++)
        {
            hidden = checkpointed
                ? LayerCheckpoint.Forward(layers[i], hidden, cos, sin, mask)
                : layers[i].forward(hidden, cos, sin, mask, cache?[i], past);
        }
        if (cache is not null)
            cache.Length = past + inputIds.shape[1];
        return norm.forward(hidden).MoveToOuterDisposeScope();
    }
}
