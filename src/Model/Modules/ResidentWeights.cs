using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// Linear maps over weights that may be stored in a narrower dtype than the activations (a frozen BF16/F16 checkpoint
/// kept as stored, see <see cref="WeightDtype.AsStored"/>): the weight is upcast one matrix at a time, just for this
/// product, so compute stays float32 and no whole-model float32 copy ever exists. With float32 weights this is the
/// plain <c>Linear.forward</c>.
/// </summary>
public static class ResidentWeights
{
    /// <summary><paramref name="projection"/>(<paramref name="input"/>) in the input's dtype. A LoRA wrapper handles a
    /// 16-bit base itself (<see cref="LoraLinear"/>); a plain Linear's weight is upcast here.</summary>
    public static Tensor Project(this nn.Module<Tensor, Tensor> projection, Tensor input)
    {
        if (projection is not Linear layer)
            return projection.forward(input);
        var weight = layer.weight!;
        if (weight.dtype == input.dtype)
            return layer.forward(input);
        using var upcast = weight.to_type(input.dtype);
        using var bias = layer.bias?.to_type(input.dtype);
        return nn.functional.linear(input, upcast, bias);
    }

    /// <summary>input · weightᵀ in the input's dtype (the tied LM head).</summary>
    public static Tensor Linear(Tensor input, Tensor weight)
    {
        if (weight.dtype == input.dtype)
            return nn.functional.linear(input, weight);
        using var upcast = weight.to_type(input.dtype);
        return nn.functional.linear(input, upcast);
    }

    /// <summary>Activations are float32 whatever the weights' dtype (a no-op for float32 embeddings).</summary>
    public static Tensor ToCompute(Tensor embedded) =>
        embedded.dtype == ScalarType.Float32 ? embedded : embedded.to_type(ScalarType.Float32);
}
