namespace PrunerPipeline.Training.Objectives;

/// <summary>The distribution a PPO-clip objective's KL penalty keeps the policy near, per token with Schulman's k3 estimator.</summary>
public enum KlPenalty
{
    /// <summary>
    /// KL(π_old ‖ π_θ) ≈ r − 1 − log r with r = π_θ/π_old on the recorded sampling log-probs. For O1-Pruner the sampler
    /// is the reference model, so this is the KL to the reference.
    /// </summary>
    SamplingPolicy,

    /// <summary>
    /// KL(π_θ ‖ π_ref) ≈ π_ref/π_θ − log(π_ref/π_θ) − 1 (DeepSeekMath eq. 4) on the samples' recorded
    /// <c>klRefLogProbs</c>: the base model's log-probs, when an online run samples from later policies.
    /// </summary>
    RecordedReference,
}
