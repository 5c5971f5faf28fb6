namespace PrunerPipeline.Cli.Demo;

/// <summary>One run of a comparison: its key in report.json's <c>methods</c>, the label people read, and the run itself.</summary>
public sealed record PlannedRun(string Key, string Label, StartPruningRun Run);
