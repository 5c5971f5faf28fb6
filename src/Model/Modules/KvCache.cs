using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>Every layer's <see cref="LayerKvCache"/> plus how many positions are filled.</summary>
public sealed class KvCache : IDisposable
{
    private readonly LayerKvCache[] layers;

    public KvCache(ModelConfig config, long batch, long capacity, ScalarType dtype, Device device)
    {
        layers = Enumerable.Range(0, config.NumHiddenLayers)
            .Select(_ => new LayerKvCache(batch, config.KeyValueHeads, capacity, config.HeadDimension, dtype, device))
            .ToArray();
        Capacity = capacity;
    }

    public long Capacity { get; }

    /// <summary>Positions already written (the next forward pass starts here).</summary>
    public long Length { get; set; }

    public LayerKvCache this[int layer] => layers[layer];

    public void Dispose()
    {
        foreach (var layer in layers)
            layer.Dispose();
    }
}
