using System.Text.Json;

namespace PrunerPipeline.Datasets.Jsonl;

/// <summary>
/// Reads the shared datasets' JSON Lines schema (<c>id, problem, answer, solution, source, level?, subject?</c>)
/// into <see cref="Problem"/>s, in file order.
/// </summary>
public static class JsonlProblemReader
{
    public static IReadOnlyList<Problem> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Dataset file '{path}' does not exist", path);

        var problems = new List<Problem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                problems.Add(Parse(line));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {e.Message}", e);
            }
        }
        return problems;
    }

    private static Problem Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return new Problem(
            Id: Required(root, "id"),
            Question: Required(root, "problem"),
            Answer: Required(root, "answer"),
            Solution: Optional(root, "solution") ?? "",
            Source: Required(root, "source"),
            Level: root.TryGetProperty("level", out var level) && level.ValueKind == JsonValueKind.Number ? level.GetInt32() : null,
            Subject: Optional(root, "subject"));
    }

    private static string Required(JsonElement root, string field) =>
        Optional(root, field) ?? throw new KeyNotFoundException($"field '{field}' is missing");

    private static string? Optional(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
