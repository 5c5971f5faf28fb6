using static TorchSharp.torch;

namespace PrunerPipeline.Model;

/// <summary>
/// Picks the next token of every row from its logits by inverse-CDF sampling with one uniform draw per row from that
/// row's own generator, so a row's choice does not depend on the rest of the batch. Only B numbers cross to the device.
/// </summary>
internal sealed class TokenSampler
{
    private readonly SamplingOptions options;
    private readonly Random[] generators;

    public TokenSampler(SamplingOptions options, int batch)
    {
        this.options = options;
        generators = Enumerable.Range(0, batch).Select(b => new Random(SeedOf(options, b))).ToArray();
    }

    /// <summary>(token ids (B) int64, their temperature-1 log-probs (B) float32) for logits (B, V).</summary>
    public (Tensor Tokens, Tensor LogProbs) Next(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var floatLogits = logits.to_type(ScalarType.Float32);
        var logProbs = floatLogits.log_softmax(-1);
        Tensor tokens;
        if (options.Temperature == 0)
        {
            tokens = floatLogits.argmax(-1, keepdim: true);
        }
        else
        {
            var probs = (floatLogits / options.Temperature).softmax(-1);
            var vocab = probs.shape[1];
            Tensor? order = null;
            var truncate = options.TopP < 1 || (options.TopK > 0 && options.TopK < vocab);
            if (truncate)
            {
                var (sorted, indices) = probs.sort(-1, descending: true);
                order = indices;
                var keep = ones_like(sorted, ScalarType.Bool);
                if (options.TopK > 0 && options.TopK < vocab)
                    keep = keep.logical_and(arange(vocab, device: probs.device).lt(options.TopK).unsqueeze(0));
                if (options.TopP < 1)
                    keep = keep.logical_and((sorted.cumsum(-1) - sorted).lt(options.TopP));
                probs = sorted * keep;
            }
            var cdf = probs.cumsum(-1);
            var draws = generators.Select(g => (float)g.NextDouble()).ToArray();
            var threshold = tensor(draws, device: probs.device).unsqueeze(1) * cdf.narrow(1, vocab - 1, 1);
            var choice = cdf.le(threshold).sum(-1, keepdim: true).clamp_max(vocab - 1);
            tokens = order is null ? choice : order.gather(1, choice);
        }
        var tokenLogProbs = logProbs.gather(1, tokens).squeeze(1);
        return (tokens.squeeze(1).MoveToOuterDisposeScope(), tokenLogProbs.MoveToOuterDisposeScope());
    }

    /// <summary>The seed of row <paramref name="b"/>'s generator (the managed engine's sampler seeds the same way).</summary>
    internal static int SeedOf(SamplingOptions options, int b) =>
        options.SequenceSeeds is { } seeds ? Fold(seeds[b]) : unchecked(options.Seed * 1_000_003 + b);

    private static int Fold(long seed) => unchecked((int)seed ^ (int)(seed >> 32));
}
