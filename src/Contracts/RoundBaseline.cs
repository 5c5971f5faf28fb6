namespace PrunerPipeline.Contracts;

/// <summary>Where an iterated O1-Pruner round ≥ 2 takes its length/accuracy baseline (the run's <c>baseline</c>).</summary>
public enum RoundBaseline
{
    /// <summary>L̄_ref and Ā_ref from the previous round's model's own samples: each round prunes its predecessor.</summary>
    Previous,

    /// <summary>L̄_ref and Ā_ref stay the original reference's (the first round's samples).</summary>
    Original,
}
