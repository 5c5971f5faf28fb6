namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>
/// One teacher example for training the built-in model: the user turn (the question, possibly followed by
/// <see cref="SyntheticTask.BriefInstruction"/>) and the teacher trace to learn (without the end-of-turn token).
/// <paramref name="Slipped"/>: task v2's first pass carries an uncorrected slip (the trace's answer is right only if it re-checks).
/// </summary>
public sealed record SyntheticTrainingExample(Problem Problem, string UserTurn, string Trace, bool Brief, int Rechecks, bool Slipped = false);
