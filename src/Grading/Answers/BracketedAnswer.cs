namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// An ordered, bracketed list: a point or tuple "(1,-16,-4,43)", an interval "(3,4]", a vector or matrix.
/// The brackets are part of the answer, so "(3,4]" differs from "(3,4)".
/// </summary>
internal sealed record BracketedAnswer(string Key, char Open, char Close, IReadOnlyList<AnswerValue> Items) : AnswerValue(Key)
{
    /// <summary>Read from an inequality ("x > 3"), not written as an interval: see <see cref="GradingOptions.AllowSetRelationComparison"/>.</summary>
    public bool FromRelation { get; init; }

    /// <summary>For an interval read from an inequality, that inequality, to compare with one that is not an interval.</summary>
    public RelationAnswer? Relation { get; init; }
}
