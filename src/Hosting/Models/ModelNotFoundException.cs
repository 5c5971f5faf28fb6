namespace PrunerPipeline.Hosting.Models;

/// <summary>The model reference names neither a local folder nor an artifact-store prefix holding a config.json.</summary>
public sealed class ModelNotFoundException(string modelRef, string prefix)
    : Exception($"Model '{modelRef}' not found: no local folder of that name and no config.json under artifact prefix '{prefix}/'")
{
    public string ModelRef { get; } = modelRef;
}
