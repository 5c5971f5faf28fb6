namespace PrunerPipeline.Grading.Extraction;

/// <summary>How a candidate answer was found, which decides how it is read.</summary>
internal enum CandidateKind
{
    /// <summary>LaTeX from a math environment or a <c>\boxed{}</c>; parsed after the LaTeX normalisation.</summary>
    Latex,

    /// <summary>A plain number ("1,000.99", "2,74", ".4") read with Math-Verify's separator rules.</summary>
    Number,

    /// <summary>A plain arithmetic expression ("10/9", "(9+1)").</summary>
    Expression,

    /// <summary>A whole short answer taken as it is (a bare gold, or a bare one-line prediction).</summary>
    Whole,
}
