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

    public Qwen2RMSNorm(long hiddenSize, double eps, ScalarType dtype = ScalarType.Float32) : base(nameof(Qwen2RMSNorm))
    {
        this.eps = eps;
        weight = nn.Parameter(ones(hiddenSize, dtype));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var isFloat = input.dtype == ScalarType.Float32;
        var x = isFloat ? input : input.to_type(ScalarType.Float32);
        var normed = x * x.pow(2).mean([-1L], keepdim: true).add_(eps).rsqrt_();
        return (weight * (isFloat ? normed : normed.to_type(input.dtype))).MoveToOuterDisposeScope();
    }
}
