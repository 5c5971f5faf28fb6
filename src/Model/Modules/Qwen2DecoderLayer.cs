using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>Pre-norm transformer block: x + attn(norm(x)), then x + mlp(norm(x)).</summary>
public sealed class Qwen2DecoderLayer : nn.Module
{
#pragma warning disable IDE1006 // Hugging Face state-dict names
    private readonly Qwen2Attention self_attn;
    private readonly Qwen2MLP mlp;
    private readonly Qwen2RMSNorm input_layernorm;
    private readonly Qwen2RMSNorm post_attention_layernorm;
#pragma warning restore IDE1006

    public Qwen2DecoderLayer(ModelConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(Qwen2DecoderLayer))
    {
        self_attn = new Qwen2Attention(config, dtype);
        mlp = new Qwen2MLP(config, dtype);
        input_layernorm = new Qwen2RMSNorm(config.HiddenSize, config.RmsNormEps, dtype);
        post_attention_layernorm = new Qwen2RMSNorm(config.HiddenSize, config.RmsNormEps, dtype);
        RegisterComponents();
    }

    internal Qwen2Attention SelfAttention => self_attn;

    internal Qwen2MLP Mlp => mlp;

    public Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor mask, LayerKvCache? cache, long past)
    {
        using var scope = NewDisposeScope();
        var attended = self_attn.forward(input_layernorm.forward(hidden), cos, sin, mask, cache, past);
        var afterAttention = hidden + attended;
        var output = afterAttention + mlp.forward(post_attention_layernorm.forward(afterAttention));
        return output.MoveToOuterDisposeScope();
    }
}
