using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// One layer's keys and values, preallocated for the whole generation (B, kv heads, capacity, head dim) and written in
/// place: no concatenation per step, so memory stays flat however long the sequence grows.
/// </summary>
public sealed class LayerKvCache : IDisposable
{
    public LayerKvCache(long batch, long kvHeads, long capacity, long headDim, ScalarType dtype, Device device)
    {
        Keys = zeros([batch, kvHeads, capacity, headDim], dtype, device);
        Values = zeros([batch, kvHeads, capacity, headDim], dtype, device);
    }

    public Tensor Keys { get; }

    public Tensor Values { get; }

    public long Capacity => Keys.shape[2];

    /// <summary>Stores k/v (B, kv heads, T, D) at positions [start, start+T) and returns views of positions [0, start+T).</summary>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values, long start)
    {
        var length = keys.shape[2];
        if (start + length > Capacity)
            throw new InvalidOperationException($"KV cache holds {Capacity} positions; {start + length} were asked for");
        using (var slot = Keys.narrow(2, start, length))
            slot.copy_(keys);
        using (var slot = Values.narrow(2, start, length))
            slot.copy_(values);
        return (Keys.narrow(2, 0, start + length), Values.narrow(2, 0, start + length));
    }

    public void Dispose()
    {
        Keys.Dispose();
        Values.Dispose();
    }
}
