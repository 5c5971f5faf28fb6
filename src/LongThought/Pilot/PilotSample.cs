namespace PrunerPipeline.LongThought.Pilot;

/// <summary>
/// One sampled solution of the pilot: its length in tokens, whether its answer was graded correct, and how many
/// re-check passes it wrote (lines <c>check:</c> of the synthetic task; 0 for other tasks).
/// </summary>
public sealed record PilotSample(int SampleIndex, int Length, bool Correct, string FinishReason, int Rechecks = 0);
