using System.Text.Json.Nodes;
using PrunerPipeline.Grading;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner grade --input in.jsonl --output out.jsonl</c>: grades one {"gold", "prediction"} a line and writes
/// one {"correct", "extracted"} a line, in the same order; a line judged wrong also says why ("reason").
/// </summary>
internal static class GradeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input")
        {
            Description = "JSON lines, one {\"gold\": ..., \"prediction\": ...} a line; the prediction may be a bare answer or a full solution.",
            Required = true,
        };
        var output = new Option<string>("--output")
        {
            Description = "JSON lines written in input order, one {\"correct\": true|false, \"extracted\": \"...\"} a line, with \"reason\" when false.",
            Required = true,
        };
        var command = new Command("grade", "Grade predictions against gold answers (GSM8K, MATH, GaoKao styles).") { input, output };
        command.SetAction(parseResult => Run(parseResult.GetValue(input)!, parseResult.GetValue(output)!));
        return command;
    }

    private static int Run(string inputPath, string outputPath)
    {
        if (JsonLinesFile.CheckInput(inputPath) is { } missing)
        {
            return missing;
        }

        var outputDirectory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        if (!Directory.Exists(outputDirectory))
        {
            Console.Error.WriteLine($"--output: folder '{outputDirectory}' does not exist.");
            return 2;
        }

        var results = new List<string>();
        var correct = 0;
        foreach (var (lineNumber, line) in JsonLinesFile.NonBlankLines(inputPath))
        {
            if (!TryReadPair(line, out var gold, out var prediction, out var problem))
            {
                Console.Error.WriteLine($"--input: line {lineNumber}: {problem}");
                return 2;
            }

            var grade = AnswerGrader.Grade(gold, prediction);
            correct += grade.Correct ? 1 : 0;
            var result = new JsonObject { ["correct"] = grade.Correct, ["extracted"] = grade.Extracted };
            if (!grade.Correct && grade.Reason is { } reason)
            {
                result["reason"] = reason;
            }

            results.Add(result.ToJsonString(JsonLinesFile.ReadableOutput));
        }

        // Written once at the end, so a bad line leaves no half-written output behind.
        File.WriteAllLines(outputPath, results);
        Console.WriteLine($"{results.Count} graded, {correct} correct ({(results.Count == 0 ? 0 : 100.0 * correct / results.Count):F1}%) -> {outputPath}");
        return 0;
    }

    private static bool TryReadPair(string line, out string gold, out string prediction, out string problem)
    {
        gold = prediction = problem = "";
        try
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "expected a JSON object with \"gold\" and \"prediction\".";
                return false;
            }

            if (!TryReadText(json.RootElement, "gold", out gold, out problem) || !TryReadText(json.RootElement, "prediction", out prediction, out problem))
            {
                return false;
            }

            return true;
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON ({e.Message}).";
            return false;
        }
    }

    /// <summary>Gold answers may be JSON numbers (GSM8K: 72) as well as strings.</summary>
    private static bool TryReadText(JsonElement row, string field, out string text, out string problem)
    {
        text = problem = "";
        if (!row.TryGetProperty(field, out var value))
        {
            problem = $"missing field \"{field}\".";
            return false;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return true;
            default:
                problem = $"field \"{field}\" must be a string or a number, not {value.ValueKind}.";
                return false;
        }
    }
}
