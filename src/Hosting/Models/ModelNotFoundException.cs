namespace PrunerPipeline.Hosting.Models;

/// <summary>A model reference that resolves to nothing: the message names what was looked for and where.</summary>
public sealed class ModelNotFoundException(string modelRef, string message) : Exception(message)
{
    public string ModelRef { get; } = modelRef;

    /// <summary>No config.json under the artifact-store prefix the reference names.</summary>
    public static ModelNotFoundException InStore(string modelRef, string prefix) =>
        new(modelRef, $"Model '{modelRef}' not found: no local folder of that name and no config.json under artifact prefix '{prefix}/'");
}
