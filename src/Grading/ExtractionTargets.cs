namespace PrunerPipeline.Grading;

/// <summary>What kinds of answer are looked for (Math-Verify's <c>LatexExtractionConfig</c> and <c>ExprExtractionConfig</c>).</summary>
[Flags]
public enum ExtractionTargets
{
    /// <summary>LaTeX in math environments and <c>\boxed{}</c>.</summary>
    Latex = 1,

    /// <summary>Plain numbers and arithmetic expressions in the text, and GSM8K's <c>#### N</c>.</summary>
    Expression = 2,

    LatexAndExpression = Latex | Expression,
}
