using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// A frozen linear projection with a LoRA update (Hu et al. 2021, eq. 3): y = W x (+ b) + (α / r) · B (A (dropout(x))).
/// The base <c>weight</c> / <c>bias</c> are the wrapped Linear's own parameters, registered here under the same names, so
/// a wrapped model keeps its Hugging Face parameter names (<c>…q_proj.weight</c>) and gains <c>…q_proj.lora_A.weight</c>
/// (r, in) and <c>…q_proj.lora_B.weight</c> (out, r), PEFT's names without the adapter name. A is initialised as PEFT does
/// (kaiming-uniform with a = √5, i.e. U(−1/√in, 1/√in)), B = 0, so a fresh adapter leaves the model unchanged.
/// The base may be stored in another dtype (BF16): the input is cast to it for W x and the result cast back, so no fp32
/// copy of W is made; the adapter computes in its own dtype (fp32 master weights).
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Hugging Face / PEFT state-dict names
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly Linear lora_A;
    private readonly Linear lora_B;
#pragma warning restore IDE1006
    private readonly double dropout;

    public LoraLinear(Linear frozen, int rank, double alpha, double dropout, TorchSharp.torch.Generator? generator) : base(nameof(LoraLinear))
    {
        weight = frozen.weight!;
        bias = frozen.bias;
        weight.requires_grad = false;
        if (bias is not null)
            bias.requires_grad = false;
        var outFeatures = weight.shape[0];
        var inFeatures = weight.shape[1];
        Rank = rank;
        Scaling = alpha / rank;
        this.dropout = dropout;
        lora_A = nn.Linear(inFeatures, rank, hasBias: false, device: weight.device);
        lora_B = nn.Linear(rank, outFeatures, hasBias: false, device: weight.device);
        using (no_grad())
        {
            var bound = 1.0 / Math.Sqrt(inFeatures);
            lora_A.weight!.uniform_(-bound, bound, generator);
            lora_B.weight!.zero_();
        }
        RegisterComponents();
    }

    public int Rank { get; }

    /// <summary>α / r.</summary>
    public double Scaling { get; }

    /// <summary>The frozen base weight (out, in).</summary>
    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    /// <summary>A (r, in).</summary>
    public Parameter LoraA => lora_A.weight!;

    /// <summary>B (out, r).</summary>
    public Parameter LoraB => lora_B.weight!;

    /// <param name="x">(…, in)</param>
    /// <returns>(…, out) in the dtype of <paramref name="x"/></returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var baseOut = weight.dtype == x.dtype
            ? nn.functional.linear(x, weight, bias)
            : nn.functional.linear(x.to_type(weight.dtype), weight, bias).to_type(x.dtype);
        var adapterIn = x.dtype == LoraA.dtype ? x : x.to_type(LoraA.dtype);
        if (dropout > 0)
            adapterIn = nn.functional.dropout(adapterIn, dropout, training);
        var update = lora_B.forward(lora_A.forward(adapterIn)).mul(Scaling);                   // (…, out)
        var output = baseOut + (update.dtype == x.dtype ? update : update.to_type(x.dtype));
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>The plain Linear that holds the base weights again (the adapter is dropped, not merged).</summary>
    public Linear Unwrap() => nn.Linear(weight, bias);
}
