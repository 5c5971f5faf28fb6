namespace PrunerPipeline.Orchestrator.Persistence;

/// <summary>A stored saga instance: its JSON and the version tag a replace must match (an ETag in blob storage).</summary>
public sealed record RunStateDocument(string Json, string ETag);
