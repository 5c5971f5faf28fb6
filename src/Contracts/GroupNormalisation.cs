namespace PrunerPipeline.Contracts;

/// <summary>How an online method turns a group's rewards into advantages (the run's <c>groupNormalisation</c>: "standardised" or "meanOnly").</summary>
public enum GroupNormalisation
{
    /// <summary>Â_i = (r_i − mean) / (std + ε): DeepSeekMath's GRPO (outcome supervision).</summary>
    Standardised,

    /// <summary>Â_i = r_i − mean: Dr. GRPO, which drops the division by std (it up-weights groups whose rewards barely differ).</summary>
    MeanOnly,
}
