namespace PrunerPipeline.Grading.Extraction;

/// <summary>One answer inside a candidate: its text (boxed content already taken out) and whether a percent sign followed it.</summary>
internal sealed record CandidatePart(string Text, bool IsPercent);
