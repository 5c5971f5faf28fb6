using System.Text.Encodings.Web;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// What the line tools (<c>grade</c>, <c>tokenize</c>) share: a JSON-lines input read line by line (blank lines skipped,
/// numbered for error messages) and JSON-lines output that keeps text readable.
/// </summary>
internal static class JsonLinesFile
{
    /// <summary>LaTeX and non-ASCII text stay readable in the output (no \u005C escapes).</summary>
    public static readonly JsonSerializerOptions ReadableOutput = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Exit code 2, said on stderr, when the input file does not exist; null when it does.</summary>
    public static int? CheckInput(string inputPath)
    {
        if (File.Exists(inputPath))
        {
            return null;
        }
        Console.Error.WriteLine($"--input: file '{inputPath}' does not exist.");
        return 2;
    }

    /// <summary>The input's non-blank lines with their 1-based line numbers.</summary>
    public static IEnumerable<(int Number, string Text)> NonBlankLines(string inputPath)
    {
        var number = 0;
        foreach (var line in File.ReadLines(inputPath))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (number, line);
            }
        }
    }
}
