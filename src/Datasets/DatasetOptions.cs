namespace PrunerPipeline.Datasets;

/// <summary>
/// Configuration section <c>Datasets</c> (environment <c>Datasets__Root</c>): where the shared JSONL datasets are.
/// Bound once by the hosting defaults; a service asks for <see cref="Root"/>, never for the configuration key.
/// </summary>
public sealed class DatasetOptions
{
    public const string Section = "Datasets";

    /// <summary>The folder holding <c>gsm8k/</c>, <c>math500/</c>, ...; null: the first <c>shared/datasets</c> found (<see cref="DatasetRoot"/>).</summary>
    public string? Root { get; set; }
}
