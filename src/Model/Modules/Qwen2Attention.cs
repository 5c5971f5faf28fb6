using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// Grouped-query self-attention with rotary positions. Query heads are grouped by the KV head they share, so K/V are
/// never repeated in memory: (B, kv, G·T, D) × (B, kv, D, S).
/// </summary>
public sealed class Qwen2Attention : nn.Module
{
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;
#pragma warning disable IDE1006 // Hugging Face state-dict names
    // Plain Linear layers, or LoraLinear wrappers of them once an adapter is injected (ReplaceProjection).
    private nn.Module<Tensor, Tensor> q_proj;
    private nn.Module<Tensor, Tensor> k_proj;
    private nn.Module<Tensor, Tensor> v_proj;
    private nn.Module<Tensor, Tensor> o_proj;
#pragma warning restore IDE1006

    public Qwen2Attention(ModelConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(Qwen2Attention))
    {
        heads = config.NumAttentionHeads;
        kvHeads = config.KeyValueHeads;
        headDim = config.HeadDimension;
        var bias = config.HasAttentionBias;
        q_proj = nn.Linear(config.HiddenSize, heads * headDim, hasBias: bias, dtype: dtype);
        k_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: bias, dtype: dtype);
        v_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: bias, dtype: dtype);
        o_proj = nn.Linear(heads * headDim, config.HiddenSize, hasBias: false, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Replaces the projection <paramref name="name"/> (q_proj, k_proj, v_proj, o_proj) by what <paramref name="wrap"/> makes of it.</summary>
    internal void ReplaceProjection(string name, Func<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> wrap)
    {
        var replacement = name switch
        {
            "q_proj" => q_proj = wrap(q_proj),
            "k_proj" => k_proj = wrap(k_proj),
            "v_proj" => v_proj = wrap(v_proj),
            "o_proj" => o_proj = wrap(o_proj),
            _ => throw new ArgumentException($"attention has no projection '{name}'", nameof(name)),
        };
        register_module(name, null!);
        register_module(name, replacement);
    }

    /// <param name="hidden">(B, T, hidden)</param>
    /// <param name="cos">(B, T, D) rotary cosines of the T positions</param>
    /// <param name="sin">(B, T, D)</param>
    /// <param name="mask">additive (B, 1, T, S): 0 where a query may attend, a large negative number elsewhere</param>
    /// <param name="cache">when given, this step's K/V are written at <paramref name="past"/> and attention spans the cache</param>
    public Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor mask, LayerKvCache? cache, long past)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var length = hidden.shape[1];
        var groups = heads / kvHeads;

        var q = q_proj.Project(hidden).view(batch, length, heads, headDim).transpose(1, 2);
        var k = k_proj.Project(hidden).view(batch, length, kvHeads, headDim).transpose(1, 2);
        var v = v_proj.Project(hidden).view(batch, length, kvHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null)
            (k, v) = cache.Append(k, v, past);

        var span = k.shape[2];
        // Query heads grouped by the KV head they share: (B, kv, G·T, D) against (B, kv, S, D), K/V never repeated.
        var grouped = q.reshape(batch, kvHeads, groups * length, headDim);
        var groupedMask = length == 1 || groups == 1
            ? mask
            : mask.unsqueeze(2).expand(batch, 1, groups, length, span).reshape(batch, 1, groups * length, span);
        var context = nn.functional.scaled_dot_product_attention(grouped, k, v, groupedMask)
            .view(batch, heads, length, headDim).transpose(1, 2).reshape(batch, length, heads * headDim);
        return o_proj.Project(context).MoveToOuterDisposeScope();
    }
}
