using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.Cli;

/// <summary>
/// The CLI's last line of defence: an exception that escapes a command becomes one line on stderr and an exit code,
/// never a stack trace. Bad input (a missing model or file, a malformed checkpoint or JSON) exits 2; cancellation
/// 130; anything else is a bug and says so (exit 70, EX_SOFTWARE).
/// </summary>
internal static class CliErrors
{
    public const int BadInput = 2;
    public const int Bug = 70;
    public const int Cancelled = 130;

    public static (string Line, int ExitCode) Describe(Exception exception)
    {
        var e = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : exception;
        return e switch
        {
            ModelNotFoundException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or JsonException
                or UnauthorizedAccessException or ArgumentException or NotSupportedException => (OneLine(e.Message), BadInput),
            IOException => (OneLine($"I/O error: {e.Message}"), BadInput),
            OperationCanceledException => ("cancelled", Cancelled),
            _ => (OneLine($"internal error ({e.GetType().Name}): {e.Message} — this is a bug, please report it"), Bug),
        };
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
