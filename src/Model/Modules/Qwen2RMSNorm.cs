using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>Root-mean-square layer norm, computed in float32 whatever the input dtype (as Hugging Face does).</summary>
public sealed class Qwen2RMSNorm : nn.Module<Tensor, Tensor>
{
    private readonly double eps;
#pragma warning disable IDE1006 // Hugging Face state-dict name
    private readonly Parameter weight;
#pragma warning restore IDE1006

    public Qwen2RMSNorm(long hiddenSize, double eps) : base(nameof(Qwen2RMSNorm))
    {
        this.eps = eps;
        weight = nn.Parameter(ones(hiddenSize));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to_type(ScalarType.Float32);
        var variance = x.pow(2).mean([-1L], keepdim: true);
        var normed = x * rsqrt(variance + eps);
        return (weight * normed.to_type(input.dtype)).MoveToOuterDisposeScope();
    }
}
