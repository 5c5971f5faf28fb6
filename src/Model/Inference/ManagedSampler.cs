namespace PrunerPipeline.Model.Inference;

/// <summary>
/// <see cref="TokenSampler"/>'s rule on host logits: greedy argmax, or inverse-CDF sampling of softmax(logits / T)
/// (optionally truncated to the top-k and to the top-p nucleus, in descending-probability order) with one uniform draw
/// per row per step from that row's own generator, seeded as <see cref="TokenSampler"/> seeds it. Cumulative sums
/// accumulate in double and round to float per element, as libtorch's CPU cumsum does, so equal logits pick equal
/// tokens. Returns the temperature-1 log-prob of each chosen token.
/// </summary>
internal sealed unsafe class ManagedSampler : IDisposable
{
    private readonly SamplingOptions options;
    private readonly Random[] generators;
    private readonly double[] draws;
    private readonly int vocab;
    // Per-thread scratch in native memory (no managed garbage per call): sort keys, sort order, probabilities.
    private readonly NativeBuffer? scratch;

    public ManagedSampler(SamplingOptions options, int batch, int vocab, int threads)
    {
        this.options = options;
        this.vocab = vocab;
        generators = Enumerable.Range(0, batch).Select(b => new Random(TokenSampler.SeedOf(options, b))).ToArray();
        draws = new double[batch];
        if (options.Temperature != 0)
            scratch = new NativeBuffer(3L * threads * vocab);
    }

    /// <summary>Draws this step's uniforms, one per row, from the rows' generators (greedy draws none).</summary>
    public void Draw()
    {
        if (options.Temperature == 0)
            return;
        for (var b = 0; b < generators.Length; b++)
            draws[b] = generators[b].NextDouble();
    }

    /// <summary>Draws row <paramref name="b"/>'s next uniform only (continuous batching: rows advance at their own pace).</summary>
    public void Draw(int b)
    {
        if (options.Temperature != 0)
            draws[b] = generators[b].NextDouble();
    }

    /// <summary>Token and temperature-1 log-prob of row <paramref name="b"/> (logits of length V); <paramref name="thread"/> picks scratch space.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public (int Token, float LogProb) Pick(int b, float* logits, int thread)
    {
        var max = Kernels.Max(logits, vocab);
        var logSum = MathF.Log(Kernels.SumExpShifted(logits, max, vocab));
        int token;
        if (options.Temperature == 0)
        {
            token = 0;
            for (var i = 1; i < vocab; i++)
            {
                if (logits[i] > logits[token])
                    token = i;
            }
        }
        else
        {
            token = Sample(logits, (float)draws[b], thread);
        }
        return (token, logits[token] - max - logSum);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int Sample(float* logits, float draw, int thread)
    {
        var p = scratch!.Pointer + 3L * thread * vocab;
        var probs = new Span<float>(p, vocab);
        var temperature = (float)options.Temperature;
        for (var i = 0; i < vocab; i++)
            p[i] = logits[i] / temperature;
        var shift = Kernels.Max(p, vocab);
        var sum = Kernels.ExpShifted(p, p, shift, vocab);
        Kernels.Scale(p, 1f / sum, vocab);
        var topK = options.TopK > 0 && options.TopK < vocab;
        var truncate = options.TopP < 1 || topK;
        var indices = Span<int>.Empty;
        if (truncate)
        {
            var sortKeys = new Span<float>(p + vocab, vocab);
            indices = new Span<int>(p + 2L * vocab, vocab);
            for (var i = 0; i < vocab; i++)
            {
                sortKeys[i] = -probs[i];
                indices[i] = i;
            }
            sortKeys.Sort(indices);
            var topP = (float)options.TopP;
            double running = 0;
            for (var i = 0; i < vocab; i++)
            {
                var sorted = -sortKeys[i];
                running += sorted;
                var keep = (!topK || i < options.TopK) && (options.TopP >= 1 || (float)running - sorted < topP);
                probs[i] = keep ? sorted : 0f;
            }
        }
        double total = 0;
        for (var i = 0; i < vocab; i++)
            total += probs[i];
        var threshold = draw * (float)total;
        // cdf is non-decreasing, so "how many entries are ≤ threshold" is the first index above it.
        var choice = vocab - 1;
        double cumulative = 0;
        for (var i = 0; i < vocab; i++)
        {
            cumulative += probs[i];
            if ((float)cumulative > threshold)
            {
                choice = i;
                break;
            }
        }
        return truncate ? indices[choice] : choice;
    }

    public void Dispose() => scratch?.Dispose();
}
