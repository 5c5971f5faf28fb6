namespace PrunerPipeline.Grading;

/// <summary>
/// How answers are found and compared. The defaults are Math-Verify's recommended settings for a model told to box
/// its answer (README "What setting I should use"): LaTeX and plain expressions, <c>\boxed{}</c> first,
/// floats compared after rounding to 6 decimals, variable names significant.
/// </summary>
public sealed record GradingOptions
{
    public static GradingOptions Default { get; } = new();

    public ExtractionTargets Targets { get; init; } = ExtractionTargets.LatexAndExpression;

    /// <summary>Priority of <c>\boxed{}</c> among the anchors: 0 = before everything, 50 = Math-Verify's default, −1 = never.</summary>
    public int BoxedPriority { get; init; }

    /// <summary>When either side is a decimal literal, both are rounded to this many decimals before comparing (Math-Verify's <c>float_rounding</c>).</summary>
    public int FloatRounding { get; init; } = 6;

    /// <summary>When false, expressions that differ only in the names of their variables are equal (Math-Verify's <c>strict=False</c>).</summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// When false (Math-Verify's default) an inequality predicted for an interval gold is wrong — a model must not get
    /// credit for restating the inequality it was asked to solve; an interval predicted for an inequality gold is fine.
    /// </summary>
    public bool AllowSetRelationComparison { get; init; }

    /// <summary>A case that takes longer is judged wrong with a reason.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromMilliseconds(100);
}
