using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// log softmax(h Wᵀ)[y] for rows of final hidden states h (N, hidden), the LM head W (vocab, hidden) and target ids y
/// (N), computed a few rows at a time so the (N, vocab) logits, their log-softmax and its gradient never exist whole:
/// at the Qwen2.5-0.5B shape a micro-batch of 4 × 128 completion tokens has 311 MB of logits and kept three such tensors
/// through backward. The idea is that of chunked / fused linear cross-entropy (Liger Kernel, torchtune), written as a
/// TorchSharp custom autograd function in the manner of <see cref="LayerCheckpoint"/>: forward computes each chunk
/// without a graph and keeps only h and the targets; backward recomputes each chunk with gradients on and
/// back-propagates it at once, so W's gradient accumulates into <c>W.grad</c> chunk by chunk (a tied embedding gets
/// its lookup's gradient there too) and h's gradient is handed on. A 16-bit frozen W (LoRA on a BF16 base) is upcast
/// once per pass, not kept for backward as a plain <c>linear</c> over its upcast copy would.
/// </summary>
public sealed class ChunkedTokenLogProbs : autograd.SingleTensorFunction<ChunkedTokenLogProbs>
{
    /// <summary>Logits per chunk: 64 MB of float32, 110 rows at a 151 936-token vocabulary.</summary>
    public const long ChunkBytes = 64L << 20;

    // The hidden gradient handed back last time, released at the next call (see LayerCheckpoint).
    [ThreadStatic]
    private static Tensor? handedBack;

    public override string Name => nameof(ChunkedTokenLogProbs);

    /// <summary>Rows per chunk for <paramref name="vocab"/> logits of float32 per row.</summary>
    public static long RowsPerChunk(long vocab) => Math.Max(1, ChunkBytes / (vocab * sizeof(float)));

    /// <param name="hidden">(N, hidden) float32</param>
    /// <param name="weight">(vocab, hidden): the LM head or the tied embedding, a leaf (trained or frozen), any float dtype</param>
    /// <param name="targets">(N) int64 token ids</param>
    /// <param name="rowsPerChunk">null = <see cref="RowsPerChunk"/> of the vocabulary (tests pass a small one)</param>
    /// <returns>(N) float32 log-probabilities of the targets</returns>
    public static Tensor Forward(Tensor hidden, Tensor weight, Tensor targets, long? rowsPerChunk = null)
    {
        // Backward runs after the caller's dispose scope has ended (the trainer back-propagates a micro-batch's loss
        // outside the scope that computed its log-probs), and a module's weight getter may hand out a fresh wrapper
        // owned by that scope: the call keeps its wrapper out of every scope (the garbage collector releases it).
        var call = new HeadCall(weight.DetachFromDisposeScope(), rowsPerChunk ?? RowsPerChunk(weight.shape[0]), hidden.requires_grad);
        // The engine calls backward only for a node with a differentiable input (see LayerCheckpoint).
        var input = hidden.requires_grad || !weight.requires_grad ? hidden : hidden.detach().requires_grad_(true);
        return apply(input, targets, call);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (hidden, targets, call) = ((Tensor)vars[0], (Tensor)vars[1], (HeadCall)vars[2]);
        ctx.save_for_backward([hidden, targets]);
        ctx.save_data(nameof(HeadCall), call);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = Compute(call.Weight, hidden.dtype);
        var parts = new List<Tensor>();
        foreach (var (start, length) in Chunks(hidden.shape[0], call.RowsPerChunk))
            parts.Add(Picked(hidden.narrow(0, start, length), weight, targets.narrow(0, start, length)));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        handedBack?.Dispose();
        handedBack = null;
        var call = (HeadCall)ctx.get_data(nameof(HeadCall));
        var saved = ctx.get_saved_variables();
        var (hidden, targets) = (saved[0], saved[1]);
        Tensor? inputGrad = null;
        using (var scope = NewDisposeScope())
        {
            using (enable_grad())
            {
                // A trained W takes part in the graph itself (its gradient accumulates in W.grad); a frozen one may be upcast once.
                var weight = call.Weight.requires_grad ? call.Weight : Compute(call.Weight, hidden.dtype);
                var parts = new List<Tensor>();
                foreach (var (start, length) in Chunks(hidden.shape[0], call.RowsPerChunk))
                {
                    using var chunkScope = NewDisposeScope();
                    var rows = hidden.narrow(0, start, length).detach().requires_grad_(true);
                    var picked = Picked(rows, weight.dtype == rows.dtype ? weight : weight.to_type(rows.dtype), targets.narrow(0, start, length));
                    autograd.backward([picked], [gradOutput.narrow(0, start, length)]);
                    if (call.InputNeedsGrad)
                        parts.Add(rows.grad!.detach().MoveToOuterDisposeScope());
                }
                if (call.InputNeedsGrad)
                    inputGrad = cat(parts, 0).DetachFromDisposeScope();
            }
            foreach (var tensor in saved)
                tensor.Dispose();
        }
        handedBack = inputGrad;
        return [inputGrad!, null!, null!];
    }

    /// <summary>log softmax(rows Wᵀ)[targets] (rows) for one chunk.</summary>
    private static Tensor Picked(Tensor rows, Tensor weight, Tensor targets) =>
        nn.functional.linear(rows, weight).log_softmax(-1).gather(1, targets.unsqueeze(1)).squeeze(1);

    /// <summary>The weight in the compute dtype: itself, or a float32 copy of a 16-bit weight (owned by the caller's scope).</summary>
    private static Tensor Compute(Tensor weight, ScalarType dtype) => weight.dtype == dtype ? weight.alias() : weight.detach().to_type(dtype);

    private static IEnumerable<(long Start, long Length)> Chunks(long rows, long perChunk)
    {
        for (long start = 0; start < rows; start += perChunk)
            yield return (start, Math.Min(perChunk, rows - start));
    }

    /// <summary>What backward needs besides saved tensors: the weight (a leaf; its gradient goes to its .grad), the chunk size, whether h wants a gradient.</summary>
    private sealed record HeadCall(Tensor Weight, long RowsPerChunk, bool InputNeedsGrad);
}
