using System.Text.Json;

namespace PrunerPipeline.Services.Tests;

/// <summary>Gold answers of the shared GSM8K training split, read directly so tests know what the services will look up.</summary>
internal static class SharedGold
{
    private static readonly Lazy<Dictionary<string, string>> Gsm8kTrainAnswers = new(() =>
        File.ReadLines(Path.Combine(RepositoryRoot.Find(), "..", "shared", "datasets", "gsm8k", "train.jsonl"))
            .Take(200)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(row => row.GetProperty("id").GetString()!, row => row.GetProperty("answer").GetString()!));

    public static string Gsm8kTrain(string id) => Gsm8kTrainAnswers.Value[id];

    public static IReadOnlyList<string> Gsm8kTrainIds(int skip, int count) => Gsm8kTrainAnswers.Value.Keys.Skip(skip).Take(count).ToList();
}
