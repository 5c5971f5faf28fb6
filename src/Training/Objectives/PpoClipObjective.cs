using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Samples;
using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Objectives;

/// <summary>
/// The O1-Pruner objective (DESIGN.md §1.3, arXiv 2501.12570 eq. 7), off-policy PPO-clip on the reference samples:
/// <code>maximise E[ min(r · Â, clip(r, 1−ε, 1+ε) · Â) ]</code>
/// with r the ratio π_θ/π_ref against the log-probs recorded at sampling time, taken per token (the paper) or per
/// sequence as exp(mean log π_θ − mean log π_ref) (the authors' code), and Â the (prepared) R_LH reward, shared by
/// every token of the sequence. Optional extras, off by default: a KL penalty per token with Schulman's k3 estimator,
/// either to the sampling policy (r − 1 − log r) or to recorded base-model log-probs (GRPO's KL(π_θ ‖ π_ref),
/// π_ref/π_θ − log(π_ref/π_θ) − 1, see <see cref="KlPenalty"/>); an entropy bonus, per token −r·log π_θ (importance-weighted; ignores the shift of the
/// prefix distribution, like the per-token ratio itself).
/// </summary>
public sealed class PpoClipObjective
{
    public PpoClipObjective(PpoClipOptions options)
    {
        options.Validate();
        Options = options;
    }

    public PpoClipOptions Options { get; }

    /// <summary>The loss of one batch taken alone: advantages normalised over it when the option is on, then aggregated.</summary>
    /// <param name="policyLogProbs">(B, T) log π_θ(y_t|·), differentiable.</param>
    /// <param name="referenceLogProbs">(B, T) log π_ref(y_t|·) recorded at sampling time.</param>
    /// <param name="mask">(B, T) 1 on completion tokens, 0 on padding.</param>
    /// <param name="advantages">(B) Â per sequence.</param>
    /// <param name="klReferenceLogProbs">(B, T) the base model's recorded log-probs; required when <see cref="PpoClipOptions.KlPenalty"/> is <see cref="KlPenalty.RecordedReference"/>.</param>
    public Tensor Loss(Tensor policyLogProbs, Tensor referenceLogProbs, Tensor mask, Tensor advantages, Tensor? klReferenceLogProbs = null)
    {
        using var scope = NewDisposeScope();
        var a = Options.NormaliseAdvantagesPerBatch ? NormaliseAdvantages(advantages) : advantages;
        using var terms = Terms(policyLogProbs, referenceLogProbs, mask, a, klReferenceLogProbs);
        var tokens = (long)mask.sum().item<float>();
        return terms.Aggregate(Options.Aggregation, mask.shape[0], tokens).MoveToOuterDisposeScope();
    }

    /// <summary>(Â − mean) / std over the batch (<see cref="Standardisation"/>); a batch with constant advantage gets zeros.</summary>
    public static Tensor NormaliseAdvantages(Tensor advantages) =>
        tensor(NormaliseAdvantageValues(advantages.to_type(ScalarType.Float64).cpu().data<double>().ToArray()).Select(a => (float)a).ToArray())
            .to_type(advantages.dtype).to(advantages.device);

    /// <summary>(Â − mean) / std over the batch, on plain numbers (the trainer normalises a whole step before splitting it).</summary>
    public static double[] NormaliseAdvantageValues(IReadOnlyList<double> advantages) => Standardisation.Standardise(advantages);

    /// <summary>Per-sequence loss pieces; <paramref name="advantages"/> are used as given (no normalisation here).</summary>
    public PpoClipTerms Terms(Tensor policyLogProbs, Tensor referenceLogProbs, Tensor mask, Tensor advantages, Tensor? klReferenceLogProbs = null)
    {
        using var scope = NewDisposeScope();
        var eps = Options.ClipEpsilon;
        var epsHigh = Options.UpperEpsilon;
        mask = mask.to_type(policyLogProbs.dtype);
        var referenceLogProbsTyped = referenceLogProbs.to_type(policyLogProbs.dtype);
        var tokenCount = mask.sum(1);                                        // (B)
        var safeCount = tokenCount.clamp_min(1);
        var tokenLogRatio = (policyLogProbs - referenceLogProbsTyped) * mask; // (B, T); padding → ratio 1
        var tokenRatio = tokenLogRatio.exp();
        var adv = advantages.to_type(policyLogProbs.dtype);                  // (B)

        var extras = zeros_like(policyLogProbs);                             // (B, T) per-token KL / entropy terms
        var tokenKl = KlTerm(policyLogProbs, tokenRatio, tokenLogRatio, mask, klReferenceLogProbs); // (B, T), 0 on padding
        double klSum;
        using (no_grad())
        {
            klSum = (tokenKl * mask).sum().item<float>();
        }
        if (Options.KlCoefficient > 0)
        {
            extras = extras + Options.KlCoefficient * tokenKl;
        }
        if (Options.EntropyCoefficient > 0)
        {
            extras = extras - Options.EntropyCoefficient * (-tokenRatio * policyLogProbs);
        }
        var extrasSum = (extras * mask).sum(1);                              // (B)

        Tensor sequenceLoss, tokenLossSum, closed;
        long ratioCount;
        if (Options.Granularity == RatioGranularity.Token)
        {
            var a = adv.unsqueeze(1);                                        // (B, 1)
            var unclipped = tokenRatio * a;
            var clipped = tokenRatio.clamp(1 - eps, 1 + epsHigh) * a;
            var tokenLoss = -minimum(unclipped, clipped) * mask;             // (B, T)
            tokenLossSum = tokenLoss.sum(1) + extrasSum;
            sequenceLoss = tokenLossSum / safeCount;
            closed = ClosedSide(tokenRatio, a, eps, epsHigh) * mask;
            ratioCount = (long)mask.sum().item<float>();
        }
        else
        {
            var meanPolicy = (policyLogProbs * mask).sum(1) / safeCount;       // (B)
            var meanReference = (referenceLogProbsTyped * mask).sum(1) / safeCount;
            var ratio = (meanPolicy - meanReference).exp();                  // (B)
            var unclipped = ratio * adv;
            var clipped = ratio.clamp(1 - eps, 1 + epsHigh) * adv;
            var loss = -minimum(unclipped, clipped);                         // (B)
            sequenceLoss = loss + extrasSum / safeCount;
            tokenLossSum = loss * tokenCount + extrasSum;
            closed = ClosedSide(ratio, adv, eps, epsHigh);
            ratioCount = ratio.shape[0];
        }
        var clippedCount = (long)closed.sum().item<float>();
        return new PpoClipTerms(
            sequenceLoss.MoveToOuterDisposeScope(),
            tokenLossSum.MoveToOuterDisposeScope(),
            tokenCount.MoveToOuterDisposeScope(),
            clippedCount,
            ratioCount,
            klSum);
    }

    // k3 per token: to the sampling policy, r − 1 − log r; to the recorded base model, e^d − d − 1 with d = log π_ref − log π_θ.
    private Tensor KlTerm(Tensor policyLogProbs, Tensor tokenRatio, Tensor tokenLogRatio, Tensor mask, Tensor? klReferenceLogProbs)
    {
        if (Options.KlPenalty == KlPenalty.SamplingPolicy)
        {
            return tokenRatio - 1 - tokenLogRatio;
        }
        if (klReferenceLogProbs is null)
        {
            throw new ArgumentException("The KL penalty to the recorded reference needs the samples' klRefLogProbs", nameof(klReferenceLogProbs));
        }
        var d = (klReferenceLogProbs.to_type(policyLogProbs.dtype) - policyLogProbs) * mask;
        return d.exp() - d - 1;
    }

    // Where min(r·Â, clip(r)·Â) picks the clipped branch and the gradient vanishes: above 1+ε_high for Â > 0, below 1−ε for Â < 0.
    private static Tensor ClosedSide(Tensor ratio, Tensor advantage, double eps, double epsHigh) =>
        ((advantage > 0).logical_and(ratio > 1 + epsHigh)).logical_or((advantage < 0).logical_and(ratio < 1 - eps)).to_type(ScalarType.Float32);
}
