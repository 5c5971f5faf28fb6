namespace PrunerPipeline.Training.Grpo;

/// <summary>How a group's rewards become GRPO advantages (<see cref="GroupAdvantages"/>).</summary>
public enum GroupNormalisation
{
    /// <summary>Â_i = (r_i − mean) / (std + ε): DeepSeekMath's GRPO (outcome supervision).</summary>
    Standardised,

    /// <summary>Â_i = r_i − mean: Dr. GRPO, which drops the division by std (it up-weights groups whose rewards barely differ).</summary>
    MeanOnly,
}
