using System.Text.RegularExpressions;

namespace PrunerPipeline.Hosting.Artifacts;

/// <summary>
/// Rules for blob names and the ids that become part of them (run ids, sample-set ids): a name never escapes its
/// container or root folder, so a hostile run id such as <c>../x</c> cannot overwrite another run's artifacts.
/// </summary>
public static partial class ArtifactName
{
    public const int MaxLength = 1024;

    /// <summary>The longest run id.</summary>
    public const int MaxRunIdLength = 64;

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="name"/> is not a valid blob name.</summary>
    public static string Validate(string name, string parameterName = "name")
    {
        var problem = Check(name);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid artifact name '{name}': {problem}", parameterName);
        }
        return name;
    }

    /// <summary>Validates a listing prefix: like a name, but empty and a trailing '/' are allowed.</summary>
    public static string ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0)
        {
            return prefix;
        }
        Validate(prefix.EndsWith('/') ? prefix[..^1] : prefix, nameof(prefix));
        return prefix;
    }

    /// <summary>Null when the name is valid, otherwise why it is not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }
        if (name.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }
        if (!AllowedCharacters().IsMatch(name))
        {
            return "only the characters A-Z a-z 0-9 . _ - / are allowed";
        }
        if (name.StartsWith('/') || name.EndsWith('/'))
        {
            return "it must not start or end with '/'";
        }
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it contains an empty path segment ('//')";
            }
            if (segment is "." or "..")
            {
                return "it contains a '.' or '..' path segment";
            }
        }
        return null;
    }

    /// <summary>Run ids name blobs (runs/{run}/...): 1–64 characters of [a-z0-9._-], starting with a letter or digit, not containing "..".</summary>
    public static string? CheckRunId(string? runId)
    {
        if (string.IsNullOrWhiteSpace(runId))
        {
            return "runId: must not be empty; allowed: 1-64 characters of [a-z0-9._-], starting with a letter or digit";
        }
        if (runId.Length > MaxRunIdLength || !RunIdPattern().IsMatch(runId) || runId.Contains(".."))
        {
            return $"runId: '{Printable(runId)}' is not allowed; allowed: 1-64 characters of [a-z0-9._-], starting with a letter or digit, no '..' (it names blobs and must not escape the run's folder)";
        }
        return null;
    }

    /// <summary>Shortens and escapes user input before it is echoed in a reason or a log line.</summary>
    public static string Printable(string value)
    {
        var clipped = value.Length > 80 ? value[..80] + "…" : value;
        return new string(clipped.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }

    // \A…\z, not ^…$: "$" also matches before a final newline, so "x\n" would pass.
    [GeneratedRegex(@"\A[A-Za-z0-9._/-]+\z")]
    private static partial Regex AllowedCharacters();

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex RunIdPattern();
}
