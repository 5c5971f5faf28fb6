namespace PrunerPipeline.Model;

/// <summary>Which implementation decodes with the KV cache.</summary>
public enum DecodeEngine
{
    /// <summary>The managed engine when it can run the model (CPU, float32, KV cache on), TorchSharp otherwise.</summary>
    Auto,

    /// <summary>TorchSharp modules (the reference; the only path for recompute, CUDA and non-float32 models).</summary>
    Torch,

    /// <summary>The managed engine (<see cref="Inference.ManagedDecoder"/>): plain C# SIMD kernels over a weight snapshot.</summary>
    Managed,
}

/// <summary>The precision the managed engine stores a model's matrices in.</summary>
public enum WeightPrecision
{
    /// <summary>The model's own dtype: bfloat16/float16 parameters stay 16-bit (their bits copied), float32 stays float32.</summary>
    Auto,

    F32,

    /// <summary>bfloat16 (float32 weights rounded to nearest even); accumulation stays float32.</summary>
    BF16,

    F16,
}

/// <summary>How the managed engine schedules more prompts than it decodes at once.</summary>
public enum BatchingMode
{
    /// <summary>
    /// <see cref="SamplingOptions.Concurrency"/> slots; when a sequence stops, the next waiting prompt is prefilled into
    /// its slot (in chunks of <see cref="SamplingOptions.PrefillChunk"/> tokens) while the other slots keep decoding.
    /// </summary>
    Continuous,

    /// <summary>Batches of <see cref="SamplingOptions.Concurrency"/> prompts, each decoded until its longest sequence ends (the baseline).</summary>
    Static,
}

/// <summary>How <see cref="Generator"/> picks tokens.</summary>
public sealed record SamplingOptions
{
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>0 means greedy (argmax).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling: keep the most likely tokens whose probabilities add up to this (1 = all).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens (0 = all).</summary>
    public int TopK { get; init; }

    /// <summary>A sequence finishes when it samples one of these (the stop token is kept in its output).</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Seed of the batch; sequence b draws from its own generator seeded by (Seed, b) unless <see cref="SequenceSeeds"/> is given.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// One seed per prompt. A sequence's draws then depend only on its own seed, not on which batch it shares, so a
    /// redelivered shard reproduces the same samples.
    /// </summary>
    public IReadOnlyList<long>? SequenceSeeds { get; init; }

    /// <summary>
    /// One length limit per prompt (each in [1, <see cref="MaxNewTokens"/>]); a sequence reaching its limit ends with
    /// finish reason "length". Null: <see cref="MaxNewTokens"/> for every prompt.
    /// </summary>
    public IReadOnlyList<int>? SequenceMaxNewTokens { get; init; }

    /// <summary>The length limit of prompt <paramref name="index"/>.</summary>
    public int LimitOf(int index) => SequenceMaxNewTokens is { } limits ? limits[index] : MaxNewTokens;

    /// <summary>false recomputes the whole sequence every step (the reference the cache is checked and benchmarked against).</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>Who decodes (default: the managed engine whenever it can).</summary>
    public DecodeEngine Engine { get; init; } = DecodeEngine.Auto;

    /// <summary>
    /// Threads of the managed engine; 0 = libtorch's intra-op thread count (by default the machine's cores, and what
    /// `--threads` / Rollouts:Threads set), at most <see cref="Environment.ProcessorCount"/>. 1 runs without threads.
    /// </summary>
    public int EngineThreads { get; init; }

    /// <summary>
    /// Sequences decoded at once (0 = every prompt of the call). More prompts than that wait for a free slot
    /// (<see cref="Batching"/>); the torch engine decodes them in static batches of this size.
    /// </summary>
    public int Concurrency { get; init; }

    /// <summary>Managed engine: continuous (default) or static batching when there are more prompts than <see cref="Concurrency"/>.</summary>
    public BatchingMode Batching { get; init; } = BatchingMode.Continuous;

    /// <summary>Managed engine, continuous batching: prompt tokens prefilled per step next to the decoding rows (a long prompt is split).</summary>
    public int PrefillChunk { get; init; } = 64;

    /// <summary>Managed engine: the precision of the weight snapshot (default: the model's own dtype).</summary>
    public WeightPrecision Weights { get; init; } = WeightPrecision.Auto;

    /// <summary>Every reason these options cannot be used, each naming its field; empty when they are fine.</summary>
    public IReadOnlyList<string> Validate(int promptCount)
    {
        var problems = new List<string>();
        if (MaxNewTokens < 1)
            problems.Add($"MaxNewTokens must be at least 1 (got {MaxNewTokens})");
        if (Temperature < 0 || double.IsNaN(Temperature))
            problems.Add($"Temperature must be ≥ 0 (got {Temperature})");
        if (!(TopP > 0 && TopP <= 1))
            problems.Add($"TopP must be in (0, 1] (got {TopP})");
        if (TopK < 0)
            problems.Add($"TopK must be ≥ 0 (got {TopK})");
        if (!Enum.IsDefined(Engine))
            problems.Add($"Engine must be one of {string.Join(", ", Enum.GetNames<DecodeEngine>())} (got {(int)Engine})");
        if (Engine == DecodeEngine.Managed && !UseKvCache)
            problems.Add("Engine Managed needs UseKvCache (recomputing runs on the torch engine)");
        if (EngineThreads < 0)
            problems.Add($"EngineThreads must be ≥ 0 (got {EngineThreads})");
        if (Concurrency < 0)
            problems.Add($"Concurrency must be ≥ 0 (got {Concurrency})");
        if (!Enum.IsDefined(Batching))
            problems.Add($"Batching must be one of {string.Join(", ", Enum.GetNames<BatchingMode>())} (got {(int)Batching})");
        if (PrefillChunk < 1)
            problems.Add($"PrefillChunk must be at least 1 (got {PrefillChunk})");
        if (!Enum.IsDefined(Weights))
            problems.Add($"Weights must be one of {string.Join(", ", Enum.GetNames<WeightPrecision>())} (got {(int)Weights})");
        if (SequenceMaxNewTokens is not null && SequenceMaxNewTokens.Count != promptCount)
            problems.Add($"SequenceMaxNewTokens has {SequenceMaxNewTokens.Count} limits for {promptCount} prompts");
        else if (SequenceMaxNewTokens is not null && SequenceMaxNewTokens.Any(n => n < 1 || n > MaxNewTokens))
            problems.Add($"SequenceMaxNewTokens must each be in [1, MaxNewTokens = {MaxNewTokens}]");
        if (SequenceSeeds is not null && SequenceSeeds.Count != promptCount)
            problems.Add($"SequenceSeeds has {SequenceSeeds.Count} seeds for {promptCount} prompts");
        return problems;
    }
}
