namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>
/// A tiny deterministic random stream (SplitMix64). Used instead of <see cref="Random"/> so that the synthetic
/// task is identical on every runtime version, and so that each (seed, split, index, purpose) gets its own stream.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A stream keyed by several values, mixed so that neighbouring keys give unrelated streams.</summary>
    public static SplitMix64 For(int seed, string purpose, int index, int attempt = 0)
    {
        var key = Mix((ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var c in purpose)
            key = Mix(key ^ c);
        key = Mix(key ^ (ulong)(uint)index);
        key = Mix(key ^ ((ulong)(uint)attempt << 32));
        return new SplitMix64(key);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [minInclusive, maxInclusive].</summary>
    public int Next(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxInclusive), $"empty range [{minInclusive}, {maxInclusive}]");
        var span = (ulong)(maxInclusive - minInclusive) + 1;
        return minInclusive + (int)(NextUInt64() % span);
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
