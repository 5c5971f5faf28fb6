using System.Text.Json.Nodes;
using PrunerPipeline.Model;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner tokenize --tokenizer T --input in.jsonl --output out.jsonl</c>: one {"text"} a line in, one
/// {"ids", "decoded"} a line out, same order. No BOS/EOS is added; special-token strings become their ids and are
/// kept when decoding.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "tokenizer.json or the folder holding it.", Required = true };
        var input = new Option<string>("--input") { Description = "JSON lines, one {\"text\": ...} a line.", Required = true };
        var output = new Option<string>("--output") { Description = "JSON lines, one {\"ids\": [...], \"decoded\": \"...\"} a line, same order.", Required = true };
        var command = new Command("tokenize", "Encode and decode text with a Hugging Face tokenizer.json.") { tokenizer, input, output };
        command.SetAction(parseResult => Run(parseResult.GetValue(tokenizer)!, parseResult.GetValue(input)!, parseResult.GetValue(output)!));
        return command;
    }

    private static int Run(string tokenizerPath, string inputPath, string outputPath)
    {
        if (JsonLinesFile.CheckInput(inputPath) is { } missing)
        {
            return missing;
        }
        TextTokenizer tokenizer;
        try
        {
            tokenizer = TextTokenizer.Load(tokenizerPath);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"--tokenizer: {e.Message}");
            return 2;
        }

        var lines = new List<string>();
        foreach (var (lineNumber, line) in JsonLinesFile.NonBlankLines(inputPath))
        {
            string? text;
            try
            {
                text = JsonNode.Parse(line)?["text"]?.GetValue<string>();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                Console.Error.WriteLine($"--input line {lineNumber}: not a JSON object with a string \"text\" ({e.Message})");
                return 1;
            }
            if (text is null)
            {
                Console.Error.WriteLine($"--input line {lineNumber}: no string field \"text\"");
                return 1;
            }
            var ids = tokenizer.Encode(text);
            lines.Add(JsonSerializer.Serialize(new { ids, decoded = tokenizer.Decode(ids) }, JsonLinesFile.ReadableOutput));
        }
        File.WriteAllLines(outputPath, lines);
        return 0;
    }
}
