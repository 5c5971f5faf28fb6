using PrunerPipeline.Model.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model;

/// <summary>
/// Batched autoregressive generation. Prompts of different lengths are left-padded into one batch (pads are masked
/// out and positions start at each prompt's first real token); the prompt is prefilled once into a preallocated KV
/// cache and then one token per step is decoded. Each sequence stops on its first stop id or after MaxNewTokens.
/// </summary>
public static class Generator
{
    /// <summary>
    /// The engine <see cref="Generate"/> decodes <paramref name="model"/> with under <paramref name="options"/>: the managed
    /// engine with the KV cache on CPU float32/bf16/f16 models unless the torch engine is asked for; torch otherwise
    /// (<paramref name="reason"/> says why).
    /// </summary>
    public static DecodeEngine EngineFor(CausalLM model, SamplingOptions options, out string reason)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.UseKvCache)
        {
            reason = "the managed engine decodes with the KV cache only";
            return DecodeEngine.Torch;
        }
        if (options.Engine == DecodeEngine.Torch)
        {
            reason = "the torch engine was asked for";
            return DecodeEngine.Torch;
        }
        return Inference.ManagedGeneration.CanRun(model, out reason) ? DecodeEngine.Managed : DecodeEngine.Torch;
    }

    /// <param name="onSequence">called with (prompt index, sequence) as each sequence ends (continuous batching ends them out of order)</param>
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLM model, IReadOnlyList<int[]> prompts, SamplingOptions options,
        Action<int>? onStep = null, CancellationToken cancellationToken = default, Action<int, GeneratedSequence>? onSequence = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var problems = options.Validate(prompts.Count).ToList();
        for (var i = 0; i < prompts.Count; i++)
        {
            if (prompts[i] is null || prompts[i].Length == 0)
                problems.Add($"prompts[{i}] is empty");
            else if (prompts[i].Any(id => id < 0 || id >= model.Config.VocabSize))
                problems.Add($"prompts[{i}] has a token id outside [0, {model.Config.VocabSize})");
        }
        var managed = false;
        if (problems.Count == 0)
        {
            managed = EngineFor(model, options, out var reason) == DecodeEngine.Managed;
            if (!managed && options.UseKvCache && options.Engine == DecodeEngine.Managed)
                problems.Add($"Engine Managed cannot run this model: {reason}");
        }
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        if (prompts.Count == 0)
            return [];
        if (managed)
            return Inference.ManagedGeneration.Generate(model, prompts, options, onStep, cancellationToken, onSequence);
        if (options.Concurrency > 0 && options.Concurrency < prompts.Count)
        {
            // The torch engine batches statically: chunks of Concurrency prompts, each sequence keeping its own seed.
            var results = new List<GeneratedSequence>(prompts.Count);
            for (var first = 0; first < prompts.Count; first += options.Concurrency)
            {
                var count = Math.Min(options.Concurrency, prompts.Count - first);
                var chunkOptions = options with
                {
                    Concurrency = 0,
                    SequenceSeeds = Enumerable.Range(first, count).Select(i => (long)(uint)TokenSampler.SeedOf(options, i)).ToArray(),
                    SequenceMaxNewTokens = options.SequenceMaxNewTokens?.Skip(first).Take(count).ToArray(),
                };
                var start = first;
                results.AddRange(Generate(model, prompts.Skip(first).Take(count).ToArray(), chunkOptions, onStep, cancellationToken,
                    onSequence is null ? null : (i, sequence) => onSequence(start + i, sequence)));
            }
            return results;
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var batch = prompts.Count;
        var promptLength = prompts.Max(p => p.Length);
        var capacity = promptLength + options.MaxNewTokens;
        var device = model.Device;

        var ids = new long[batch * promptLength];
        var positions = new long[batch * promptLength];
        var valid = new bool[batch * capacity];
        var nextPosition = new long[batch];
        for (var b = 0; b < batch; b++)
        {
            var offset = promptLength - prompts[b].Length;
            for (var j = 0; j < promptLength; j++)
            {
                ids[b * promptLength + j] = j < offset ? 0 : prompts[b][j - offset];
                positions[b * promptLength + j] = Math.Max(0, j - offset);
            }
            for (var j = offset; j < capacity; j++)
                valid[b * capacity + j] = true;
            nextPosition[b] = prompts[b].Length;
        }
        var validKeys = tensor(valid, device: device).view(batch, capacity);
        var sequence = tensor(ids, device: device).view(batch, promptLength);
        var positionIds = tensor(positions, device: device).view(batch, promptLength);
        var stepPositions = tensor(nextPosition, device: device).unsqueeze(1);

        using var cache = options.UseKvCache ? new KvCache(model.Config, batch, capacity, ScalarType.Float32, device) : null;
        var sampler = new TokenSampler(options, batch);
        var stops = options.StopTokenIds.ToHashSet();
        var tokens = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, batch).Select(_ => new List<float>()).ToArray();
        var finished = new bool[batch];
        var stopped = new bool[batch];

        // Decode steps attend from one new position to every valid key so far: the causal part is trivially satisfied,
        // so their mask is a slice of one precomputed additive key mask instead of a fresh causal mask per step.
        var keyMask = zeros([batch, capacity], ScalarType.Float32, device).masked_fill_(validKeys.logical_not(), AttentionMask.Blocked);
        var logits = LastLogits(model, sequence, positionIds, AttentionMask.Causal(validKeys, 0, promptLength), cache);
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            var (next, nextLogProbs) = sampler.Next(logits);
            var hostTokens = next.data<long>().ToArray();
            var hostLogProbs = nextLogProbs.data<float>().ToArray();
            for (var b = 0; b < batch; b++)
            {
                if (finished[b])
                    continue;
                tokens[b].Add((int)hostTokens[b]);
                logProbs[b].Add(hostLogProbs[b]);
                stopped[b] = stops.Contains((int)hostTokens[b]);
                finished[b] = stopped[b] || tokens[b].Count == options.LimitOf(b);
            }
            onStep?.Invoke(step + 1);
            if (step == options.MaxNewTokens - 1 || finished.All(f => f))
                break;

            var input = next.unsqueeze(1);
            var inputPositions = stepPositions + step;
            Tensor nextLogits;
            if (cache is not null)
            {
                using var stepMask = keyMask.narrow(1, 0, cache.Length + 1).view(batch, 1, 1, cache.Length + 1);
                nextLogits = LastLogits(model, input, inputPositions, stepMask, cache);
            }
            else
            {
                var longer = cat([sequence, input], 1).MoveToOuterDisposeScope();
                var longerPositions = cat([positionIds, inputPositions], 1).MoveToOuterDisposeScope();
                sequence.Dispose();
                positionIds.Dispose();
                (sequence, positionIds) = (longer, longerPositions);
                nextLogits = LastLogits(model, sequence, positionIds, AttentionMask.Causal(validKeys, 0, sequence.shape[1]), null);
            }
            // Replace rather than accumulate: memory stays flat however many steps are decoded.
            logits.Dispose();
            logits = nextLogits.MoveToOuterDisposeScope();
        }

        var sequences = Enumerable.Range(0, batch)
            .Select(b => new GeneratedSequence(tokens[b].ToArray(), logProbs[b].ToArray(), stopped[b] ? GeneratedSequence.Stop : GeneratedSequence.Length))
            .ToArray();
        for (var b = 0; b < batch; b++)
            onSequence?.Invoke(b, sequences[b]);
        return sequences;
    }

    /// <summary>Logits (B, V) at the last position of <paramref name="input"/>; the LM head runs on that position only.</summary>
    private static Tensor LastLogits(CausalLM model, Tensor input, Tensor positionIds, Tensor mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var length = input.shape[1];
        var hidden = model.Module.Decoder.forward(input, positionIds, mask, cache);
        var last = hidden.narrow(1, length - 1, 1).squeeze(1);
        return model.Module.Logits(last).MoveToOuterDisposeScope();
    }
}
