namespace PrunerPipeline.Training.Objectives;

/// <summary>How per-token losses become the step's loss.</summary>
public enum LossAggregation
{
    /// <summary>
    /// Average the tokens of each sequence, then average over sequences (default). Every solution weighs the same
    /// whatever its length, so the long solutions the method wants to shorten do not dominate the gradient by sheer
    /// token count — the same per-sample weighting as the authors' sequence-level loss.
    /// </summary>
    SequenceMean,

    /// <summary>Average over every completion token of the step: long solutions weigh in proportion to their length.</summary>
    TokenMean,
}
