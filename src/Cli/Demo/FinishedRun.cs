using PrunerPipeline.Cli.Embedded;

namespace PrunerPipeline.Cli.Demo;

/// <summary>A comparison run that ended, with the wall seconds of each of its stages as the events showed them.</summary>
public sealed record FinishedRun(PlannedRun Plan, RunOutcome Outcome, IReadOnlyDictionary<string, double> StageSeconds);
