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
        Action<int>? onStep, CancellationToken cancellationToken, Action<int, GeneratedSequence>? onSequence = null)
    {
        var created = false;
        var format = ManagedDecoder.FormatFor(model, options.Weights);
        var decoder = Snapshots.GetValue(model, m =>
        {
            created = true;
            return ManagedDecoder.From(m, options.Weights);
        });
        if (decoder.Format != format)
        {
            // Another precision than the cached snapshot's: it is replaced (freed once no call uses it).
            lock (decoder)
                decoder.Dispose();
            decoder = ManagedDecoder.From(model, options.Weights);
            Snapshots.AddOrUpdate(model, decoder);
            created = true;
        }
        if (Monitor.TryEnter(decoder))
        {
            try
            {
                if (decoder.Disposed)
                    throw new ObjectDisposedException(nameof(CausalLM));
                if (!created)
                    decoder.Refresh(model);
                return Generate(decoder, prompts, options, onStep, cancellationToken, onSequence);
            }
            finally
            {
                Monitor.Exit(decoder);
            }
        }
        using var own = ManagedDecoder.From(model, options.Weights);
        return Generate(own, prompts, options, onStep, cancellationToken, onSequence);
    }

    /// <summary>
    /// Whether the managed engine can run <paramref name="model"/> (CPU; float32, bfloat16 or float16), checked on the model's cached
    /// snapshot when it has one (no module enumeration per call).
    /// </summary>
    public static bool CanRun(CausalLM model, out string reason) =>
        Snapshots.TryGetValue(model, out var decoder) && !decoder.Disposed
            ? decoder.StillSupported(out reason)
            : ManagedDecoder.Supports(model, out reason);

    /// <summary>The precision of <paramref name="model"/>'s cached snapshot (f32, bf16, f16), null before its first managed call.</summary>
    public static string? DtypeOf(CausalLM model) =>
        Snapshots.TryGetValue(model, out var decoder) && !decoder.Disposed ? decoder.DtypeName : null;

    /// <summary>Frees <paramref name="model"/>'s cached snapshot (waits for a generate call using it to finish).</summary>
    public static void Release(CausalLM model)
    {
        if (!Snapshots.TryGetValue(model, out var decoder))
            return;
        Snapshots.Remove(model);
        lock (decoder)
            decoder.Dispose();
    }

    /// <summary>
    /// Decodes every prompt with <paramref name="decoder"/>: <see cref="SamplingOptions.Concurrency"/> at a time, batched
    /// as <see cref="SamplingOptions.Batching"/> says. Sequence i samples from generator i (its own seed) whatever the
    /// batching, so the result is the same as decoding it alone. <paramref name="onSequence"/> sees each sequence as it ends.
    /// </summary>
    public static IReadOnlyList<GeneratedSequence> Generate(ManagedDecoder decoder, IReadOnlyList<int[]> prompts, SamplingOptions options,
        Action<int>? onStep, CancellationToken cancellationToken, Action<int, GeneratedSequence>? onSequence = null)
    {
        var slots = options.Concurrency > 0 ? Math.Min(options.Concurrency, prompts.Count) : prompts.Count;
        var threads = ThreadsFor(options);
        using var sampler = new ManagedSampler(options, prompts.Count, decoder.Vocab, Math.Min(threads, Environment.ProcessorCount));
        if (options.Batching == BatchingMode.Static)
        {
            var results = new GeneratedSequence[prompts.Count];
            for (var first = 0; first < prompts.Count; first += slots)
            {
                var count = Math.Min(slots, prompts.Count - first);
                var chunk = GenerateStatic(decoder, prompts, first, count, options, sampler, threads, onStep, cancellationToken);
                for (var i = 0; i < count; i++)
                {
                    results[first + i] = chunk[i];
                    onSequence?.Invoke(first + i, chunk[i]);
                }
            }
            return results;
        }
        return GenerateContinuous(decoder, prompts, slots, options, sampler, threads, onStep, onSequence, cancellationToken);
    }

    /// <summary>
    /// Static batching (today's baseline): prompts [first, first + count) left-padded into one batch, every row stepped
    /// until the last one stops or the length limit, a finished row's slot idle until then.
    /// </summary>
    private static GeneratedSequence[] GenerateStatic(ManagedDecoder decoder, IReadOnlyList<int[]> prompts, int first, int batch, SamplingOptions options,
        ManagedSampler sampler, int threads, Action<int>? onStep, CancellationToken cancellationToken)
    {
        var chunk = Enumerable.Range(first, batch).Select(i => prompts[i]).ToArray();
        var promptLength = chunk.Max(p => p.Length);
        using var session = new DecodeSession(decoder, batch, promptLength, promptLength + options.MaxNewTokens, threads);
        var stops = options.StopTokenIds.ToHashSet();
        var tokens = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, batch).Select(_ => new List<float>()).ToArray();
        var finished = new bool[batch];
        var stopped = new bool[batch];
        var next = new int[batch];
        var nextLogProbs = new float[batch];

        var logits = session.Prefill(chunk);
        var stride = session.LogitStride;
        void PickRow(int b, int thread) => (next[b], nextLogProbs[b]) = sampler.Pick(first + b, logits + (long)b * stride, thread);
        Action<int, int> pick = PickRow;
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var b = 0; b < batch; b++)
                sampler.Draw(first + b);
            session.Run(batch, pick);
            for (var b = 0; b < batch; b++)
            {
                if (finished[b])
                    continue;
                tokens[b].Add(next[b]);
                logProbs[b].Add(nextLogProbs[b]);
                stopped[b] = stops.Contains(next[b]);
                finished[b] = stopped[b] || tokens[b].Count == options.LimitOf(first + b);
            }
            onStep?.Invoke(step + 1);
            if (step == options.MaxNewTokens - 1 || Array.TrueForAll(finished, f => f))
                break;
            logits = session.Step(next);
        }

        return Enumerable.Range(0, batch)
            .Select(b => new GeneratedSequence(tokens[b].ToArray(), logProbs[b].ToArray(), stopped[b] ? GeneratedSequence.Stop : GeneratedSequence.Length))
            .ToArray();
    }

    /// <summary>
    /// Continuous batching over <paramref name="slots"/> slots. Each forward holds one token for every decoding slot
    /// plus up to <see cref="SamplingOptions.PrefillChunk"/> prompt tokens of the slots being (re)filled (all the
    /// room when no slot decodes yet), so a long prompt never holds the decoding rows for more than one chunk. A slot
    /// whose sequence stops (stop id or length limit) takes the next waiting prompt at once; no forward is spent on a
    /// finished sequence.
    /// </summary>
    private static GeneratedSequence[] GenerateContinuous(ManagedDecoder decoder, IReadOnlyList<int[]> prompts, int slots, SamplingOptions options,
        ManagedSampler sampler, int threads, Action<int>? onStep, Action<int, GeneratedSequence>? onSequence, CancellationToken cancellationToken)
    {
        var chunkTokens = options.PrefillChunk;
        // Room for one chunk beside every decoding slot, and for all the first prompts at once (as a static batch
        // prefills them) up to 2048 rows, so the first slots start decoding together.
        var rowBudget = Math.Max(slots + chunkTokens, Math.Min(2048, prompts.Take(slots).Sum(p => p.Length)));
        var capacity = prompts.Max(p => p.Length) + options.MaxNewTokens;
        using var session = new DecodeSession(decoder, slots, (rowBudget + slots - 1) / slots, capacity, threads);
        var stops = options.StopTokenIds.ToHashSet();
        var results = new GeneratedSequence[prompts.Count];
        var request = new int[slots];
        Array.Fill(request, -1);
        var prefilled = new int[slots];
        var decoding = new bool[slots];
        var lastToken = new int[slots];
        var tokens = Enumerable.Range(0, slots).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, slots).Select(_ => new List<float>()).ToArray();
        var segments = new Segment[slots];
        var ids = new int[session.MaxRows];
        var pickedSlots = new int[slots];
        var picked = new (int Token, float LogProb)[slots];
        float* logits = null;
        var stride = session.LogitStride;
        void PickRow(int row, int thread)
        {
            var slot = pickedSlots[row];
            picked[row] = sampler.Pick(request[slot], logits + (long)row * stride, thread);
        }
        Action<int, int> pick = PickRow;
        var waiting = 0;
        var active = 0;
        var step = 0;
        while (waiting < prompts.Count || active > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var slot = 0; slot < slots && waiting < prompts.Count; slot++)
            {
                if (request[slot] >= 0)
                    continue;
                request[slot] = waiting++;
                prefilled[slot] = 0;
                decoding[slot] = false;
                tokens[slot].Clear();
                logProbs[slot].Clear();
                session.ResetSlot(slot);
                active++;
            }
            // Decoding slots first (one token each), then prompt chunks in slot order within the remaining rows.
            var count = 0;
            var rows = 0;
            for (var slot = 0; slot < slots; slot++)
            {
                if (request[slot] < 0 || !decoding[slot])
                    continue;
                segments[count++] = new Segment(slot, 1, true);
                ids[rows++] = lastToken[slot];
            }
            var budget = count == 0 ? session.MaxRows : Math.Min(chunkTokens, session.MaxRows - rows);
            for (var slot = 0; slot < slots && budget > 0; slot++)
            {
                if (request[slot] < 0 || decoding[slot])
                    continue;
                var prompt = prompts[request[slot]];
                var take = Math.Min(budget, prompt.Length - prefilled[slot]);
                prompt.AsSpan(prefilled[slot], take).CopyTo(ids.AsSpan(rows));
                rows += take;
                budget -= take;
                prefilled[slot] += take;
                segments[count++] = new Segment(slot, take, prefilled[slot] == prompt.Length);
            }
            logits = session.Forward(ids.AsSpan(0, rows), segments.AsSpan(0, count));
            var wanted = 0;
            for (var i = 0; i < count; i++)
            {
                if (!segments[i].Logits)
                    continue;
                var slot = segments[i].Slot;
                pickedSlots[wanted++] = slot;
                sampler.Draw(request[slot]);
            }
            session.Run(wanted, pick);
            for (var row = 0; row < wanted; row++)
            {
                var slot = pickedSlots[row];
                var (token, logProb) = picked[row];
                tokens[slot].Add(token);
                logProbs[slot].Add(logProb);
                decoding[slot] = true;
                lastToken[slot] = token;
                var stopped = stops.Contains(token);
                if (stopped || tokens[slot].Count == options.LimitOf(request[slot]))
                {
                    var sequence = new GeneratedSequence(tokens[slot].ToArray(), logProbs[slot].ToArray(), stopped ? GeneratedSequence.Stop : GeneratedSequence.Length);
                    results[request[slot]] = sequence;
                    onSequence?.Invoke(request[slot], sequence);
                    request[slot] = -1;
                    active--;
                }
            }
            onStep?.Invoke(++step);
        }
        return results;
    }
}
