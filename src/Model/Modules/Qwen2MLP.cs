using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
public sealed class Qwen2MLP : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Hugging Face state-dict names
    // Plain Linear layers, or LoraLinear wrappers of them once an adapter is injected (ReplaceProjection).
    private nn.Module<Tensor, Tensor> gate_proj;
    private nn.Module<Tensor, Tensor> up_proj;
    private nn.Module<Tensor, Tensor> down_proj;
#pragma warning restore IDE1006

    public Qwen2MLP(ModelConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(Qwen2MLP))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, dtype: dtype);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, dtype: dtype);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Replaces the projection <paramref name="name"/> (gate_proj, up_proj, down_proj) by what <paramref name="wrap"/> makes of it.</summary>
    internal void ReplaceProjection(string name, Func<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> wrap)
    {
        var replacement = name switch
        {
            "gate_proj" => gate_proj = wrap(gate_proj),
            "up_proj" => up_proj = wrap(up_proj),
            "down_proj" => down_proj = wrap(down_proj),
            _ => throw new ArgumentException($"the MLP has no projection '{name}'", nameof(name)),
        };
        register_module(name, null!);
        register_module(name, replacement);
    }

    public override Tensor forward(Tensor x)
    {
        using var gate = gate_proj.Project(x);
        using var activated = nn.functional.silu(gate);
        using var up = up_proj.Project(x);
        using var product = activated * up;
        return down_proj.Project(product);
    }
}
