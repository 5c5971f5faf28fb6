namespace PrunerPipeline.Grading.Extraction;

/// <summary>
/// One match of an answer anchor: the answer parts it holds (several math spans joined by "and"/"or"/"," form one
/// answer), how they are read, and the anchor's priority (lower is tried first).
/// </summary>
internal sealed record AnswerCandidate(IReadOnlyList<CandidatePart> Parts, CandidateKind Kind, int Priority);
