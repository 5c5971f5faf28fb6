using System.Text.Json;

namespace PrunerPipeline.Grading.Tests.MathVerify;

/// <summary>
/// One expectation from Hugging Face Math-Verify's own test-suite (huggingface/Math-Verify, tests/*.py at the commit in
/// the row), read from math-verify-cases.jsonl: the gold, the prediction, the verdict Math-Verify's tests assert, and the
/// settings the test passes (extraction targets, float rounding, strictness, set/relation comparison).
/// </summary>
public sealed record MathVerifyCase(
    string Source, string Test, int Line, string Gold, string Prediction, bool Expected, GradingOptions Options)
{
    public override string ToString() => $"{Source}:{Line} {Test}";

    public static IReadOnlyList<MathVerifyCase> All { get; } = Load();

    private static List<MathVerifyCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "MathVerify", "math-verify-cases.jsonl");
        return File.ReadLines(path).Where(line => line.Length > 0).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var row = json.RootElement;
            var matchTypes = row.GetProperty("matchTypes");

            // compare_strings() in tests/test_all.py builds LatexExtractionConfig(boxed_match_priority=0); test_yujianll.py
            // calls parse() with its defaults (LaTeX and expressions, boxed at priority 50).
            var options = matchTypes.ValueKind == JsonValueKind.String
                ? GradingOptions.Default with { BoxedPriority = 50 }
                : GradingOptions.Default with { Targets = Targets(matchTypes) };
            options = options with
            {
                FloatRounding = row.GetProperty("precision").GetInt32(),
                Strict = !row.TryGetProperty("strict", out var strict) || strict.GetBoolean(),
                AllowSetRelationComparison = row.TryGetProperty("allowSetRelationComparison", out var allow) && allow.GetBoolean(),
            };
            return new MathVerifyCase(
                row.GetProperty("source").GetString()!, row.GetProperty("test").GetString()!, row.GetProperty("line").GetInt32(),
                row.GetProperty("gold").GetString()!, row.GetProperty("prediction").GetString()!, row.GetProperty("expected").GetBoolean(), options);
        }).ToList();
    }

    private static ExtractionTargets Targets(JsonElement matchTypes)
    {
        var targets = (ExtractionTargets)0;
        foreach (var type in matchTypes.EnumerateArray())
        {
            targets |= type.GetString() switch
            {
                "latex" => ExtractionTargets.Latex,
                "expr" => ExtractionTargets.Expression,
                var other => throw new InvalidDataException($"unknown match type '{other}'"),
            };
        }

        return targets;
    }
}
