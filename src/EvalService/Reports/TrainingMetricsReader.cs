using System.Text.Json;

namespace PrunerPipeline.EvalService.Reports;

/// <summary>
/// Reads the trainer's <c>metrics.jsonl</c> (one JSON object per optimizer step: step, loss, meanReward, meanLength, …;
/// docs/training.md) into a training curve. Lines that are not objects with a step are skipped.
/// </summary>
public static class TrainingMetricsReader
{
    public static IReadOnlyList<TrainingCurvePoint> Parse(string jsonl)
    {
        var points = new SortedDictionary<int, TrainingCurvePoint>();
        foreach (var line in jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("step", out var step) || step.ValueKind != JsonValueKind.Number)
            {
                continue;
            }
            // A resumed trainer may repeat a step: the later line wins.
            points[step.GetInt32()] = new TrainingCurvePoint(step.GetInt32(), Number(root, "loss"), Number(root, "meanReward"), Number(root, "meanLength"));
        }
        return points.Values.ToList();
    }

    private static double Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;
}
