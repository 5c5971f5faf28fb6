using System.Text.Json;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.Orchestrator.Validation;

/// <summary>
/// A run's solutions must fit the base model's context: prompt + <c>maxNewTokens</c> ≤ <c>max_position_embeddings</c>.
/// The orchestrator has no tokenizer, so here it checks that at least a one-token prompt fits; the rollout worker checks
/// the tokenized prompts exactly before sampling (RolloutSampler), naming the longest prompt.
/// </summary>
public static class ModelPositionLimit
{
    /// <summary>The model's <c>max_position_embeddings</c>, or null when its config.json is absent or does not say.</summary>
    public static async Task<int?> ReadAsync(IArtifactStore store, string? model, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }
        string? json;
        if (ModelLocator.IsLocalFolder(model))
        {
            var path = Path.Combine(model, "config.json");
            json = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : null;
        }
        else
        {
            var prefix = ModelLocator.PrefixOf(model);
            json = ArtifactName.Check(prefix) is null ? await store.ReadTextAsync($"{prefix}/config.json", ct) : null;
        }
        if (json is null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("max_position_embeddings", out var value)
                && value.TryGetInt32(out var positions)
                    ? positions
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The reason to reject the run, or null when <paramref name="maxNewTokens"/> leaves room for a prompt.</summary>
    public static string? Check(int maxNewTokens, int? maxPositions, string? model) =>
        maxPositions is { } limit && maxNewTokens >= limit
            ? $"maxNewTokens: {maxNewTokens} + the prompt exceeds baseModel '{ArtifactName.Printable(model ?? "")}''s max_position_embeddings {limit}; allowed: at most {limit - 1} minus the longest prompt's tokens"
            : null;
}
