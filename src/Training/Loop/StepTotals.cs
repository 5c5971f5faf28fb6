namespace PrunerPipeline.Training.Loop;

/// <summary>Size of one optimizer step, so micro-batch losses add up to the loss of the whole step.</summary>
/// <param name="Examples">Examples in the step (sequences, or pairs for DPO).</param>
/// <param name="Sequences">Completion sequences in the step.</param>
/// <param name="CompletionTokens">Completion tokens in the step.</param>
public sealed record StepTotals(int Examples, int Sequences, long CompletionTokens);
