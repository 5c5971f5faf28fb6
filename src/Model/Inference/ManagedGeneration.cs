namespace PrunerPipeline.Model.Inference;

/// <summary>
/// <see cref="Generator.Generate"/> on the managed engine: same padding, positions, masking, stop ids, length limit,
/// seeds and sampling rule as the torch path, decoded by a <see cref="DecodeSession"/> over a fresh weight snapshot.
/// </summary>
internal static unsafe class ManagedGeneration
{
    /// <summary>The managed engine's thread count for <paramref name="options"/> (see <see cref="SamplingOptions.EngineThreads"/>).</summary>
    public static int ThreadsFor(SamplingOptions options) =>
        options.EngineThreads > 0 ? options.EngineThreads : Math.Clamp(TorchSharp.torch.get_num_threads(), 1, Environment.ProcessorCount);

    /// <summary>One reusable snapshot per model instance; freed with the model (<see cref="Release"/>) or when it is collected.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CausalLM, ManagedDecoder> Snapshots = new();

    /// <summary>
    /// Generates with a snapshot of the model's weights as they are now: the model's cached snapshot re-read in place,
    /// or, when another call on the same model is using that one, a private snapshot.
    /// </summary>
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLM model, IReadOnlyList<int[]> prompts, SamplingOptions options,
        Action<int>? onStep, CancellationToken cancellationToken)
    {
        var created = false;
        var decoder = Snapshots.GetValue(model, m =>
        {
            created = true;
            return ManagedDecoder.From(m);
        });
        if (Monitor.TryEnter(decoder))
        {
            try
            {
                if (decoder.Disposed)
                    throw new ObjectDisposedException(nameof(CausalLM));
                if (!created)
                    decoder.Refresh(model);
                return Generate(decoder, prompts, options, onStep, cancellationToken);
            }
            finally
            {
                Monitor.Exit(decoder);
            }
        }
        using var own = ManagedDecoder.From(model);
        return Generate(own, prompts, options, onStep, cancellationToken);
    }

    /// <summary>
    /// Whether the managed engine can run <paramref name="model"/> (CPU, float32), checked on the model's cached
    /// snapshot when it has one (no module enumeration per call).
    /// </summary>
    public static bool CanRun(CausalLM model, out string reason) =>
        Snapshots.TryGetValue(model, out var decoder) && !decoder.Disposed
            ? decoder.StillSupported(out reason)
            : ManagedDecoder.Supports(model, out reason);

    /// <summary>Frees <paramref name="model"/>'s cached snapshot (waits for a generate call using it to finish).</summary>
    public static void Release(CausalLM model)
    {
        if (!Snapshots.TryGetValue(model, out var decoder))
            return;
        Snapshots.Remove(model);
        lock (decoder)
            decoder.Dispose();
    }

    public static IReadOnlyList<GeneratedSequence> Generate(ManagedDecoder decoder, IReadOnlyList<int[]> prompts, SamplingOptions options,
        Action<int>? onStep, CancellationToken cancellationToken)
    {
        var batch = prompts.Count;
        var promptLength = prompts.Max(p => p.Length);
        var threads = ThreadsFor(options);
        using var session = new DecodeSession(decoder, batch, promptLength, promptLength + options.MaxNewTokens, threads);
        using var sampler = new ManagedSampler(options, batch, decoder.Vocab, session.Threads);
        var stops = options.StopTokenIds.ToHashSet();
        var tokens = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, batch).Select(_ => new List<float>()).ToArray();
        var finished = new bool[batch];
        var next = new int[batch];
        var nextLogProbs = new float[batch];

        var logits = session.Prefill(prompts);
        var stride = session.LogitStride;
        void PickRow(int b, int thread) => (next[b], nextLogProbs[b]) = sampler.Pick(b, logits + (long)b * stride, thread);
        Action<int, int> pick = PickRow;
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sampler.Draw();
            session.Run(batch, pick);
            for (var b = 0; b < batch; b++)
            {
                if (finished[b])
                    continue;
                tokens[b].Add(next[b]);
                logProbs[b].Add(nextLogProbs[b]);
                finished[b] = stops.Contains(next[b]);
            }
            onStep?.Invoke(step + 1);
            if (step == options.MaxNewTokens - 1 || Array.TrueForAll(finished, f => f))
                break;
            logits = session.Step(next);
        }

        return Enumerable.Range(0, batch)
            .Select(b => new GeneratedSequence(tokens[b].ToArray(), logProbs[b].ToArray(), finished[b] ? GeneratedSequence.Stop : GeneratedSequence.Length))
            .ToArray();
    }
}
