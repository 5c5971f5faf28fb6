namespace PrunerPipeline.LongThought.Pilot;

/// <summary>One sampled solution of the pilot: its length in tokens and whether its answer was graded correct.</summary>
public sealed record PilotSample(int SampleIndex, int Length, bool Correct, string FinishReason);
