using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// Gradient checkpointing of one decoder layer (Chen et al. 2016, arXiv 1604.06174; torch.utils.checkpoint with
/// use_reentrant=True), written as a TorchSharp custom autograd function since TorchSharp has no checkpoint utility.
/// Forward runs the layer without recording a graph and saves only its inputs; backward re-runs the layer's forward
/// with gradients on, back-propagates the incoming gradient through that short graph (parameter gradients accumulate
/// into <c>.grad</c> as usual) and hands the input's gradient on. The CPU generator's state is saved before the forward
/// and restored for the recompute, so dropout draws the same masks (CUDA generators are not restored: a deviation).
/// A layer input that needs no gradient (frozen embeddings, as under LoRA) is made a gradient-requiring leaf, since
/// the autograd engine only calls backward for a node with a differentiable input; its gradient is not passed on.
/// </summary>
public sealed class LayerCheckpoint : autograd.SingleTensorFunction<LayerCheckpoint>
{
    // The input gradient handed back to the engine last time: the engine keeps its own reference once backward returns,
    // so ours is released at the next call instead of living until the caller's dispose scope ends (one fewer
    // (B, T, hidden) tensor per layer held through the whole backward pass).
    [ThreadStatic]
    private static Tensor? handedBack;

    public override string Name => nameof(LayerCheckpoint);

    /// <summary>The layer's output (B, T, hidden) for <paramref name="hidden"/> (B, T, hidden), recomputed in backward.</summary>
    public static Tensor Forward(Qwen2DecoderLayer layer, Tensor hidden, Tensor cos, Tensor sin, Tensor mask)
    {
        var inputNeedsGrad = hidden.requires_grad;
        var input = inputNeedsGrad ? hidden : hidden.detach().requires_grad_(true);
        return apply(input, cos, sin, mask, new LayerCall(layer, inputNeedsGrad, torch.get_rng_state().DetachFromDisposeScope()));
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (hidden, cos, sin, mask, call) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (LayerCall)vars[4]);
        ctx.save_for_backward([hidden, cos, sin, mask]);
        ctx.save_data(nameof(LayerCall), call);
        return call.Layer.forward(hidden, cos, sin, mask, null, 0);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        handedBack?.Dispose();
        handedBack = null;
        var call = (LayerCall)ctx.get_data(nameof(LayerCall));
        var saved = ctx.get_saved_variables();
        Tensor? inputGrad = null;
        using (var scope = NewDisposeScope())
        {
            using var rng = torch.get_rng_state();
            torch.set_rng_state(call.RngState);
            using (enable_grad())
            {
                var input = saved[0].detach().requires_grad_(true);
                var output = call.Layer.forward(input, saved[1], saved[2], saved[3], null, 0);
                autograd.backward([output], [gradOutput]);
                if (call.InputNeedsGrad)
                    inputGrad = input.grad?.detach().DetachFromDisposeScope();
            }
            torch.set_rng_state(rng);
            foreach (var tensor in saved)
                tensor.Dispose();
            call.RngState.Dispose();
        }
        handedBack = inputGrad;
        return [inputGrad!, null!, null!, null!, null!];
    }

    /// <summary>What backward needs besides tensors: the layer, whether its input wants a gradient, the generator state at forward.</summary>
    private sealed record LayerCall(Qwen2DecoderLayer Layer, bool InputNeedsGrad, Tensor RngState);
}
