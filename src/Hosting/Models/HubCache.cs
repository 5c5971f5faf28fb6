namespace PrunerPipeline.Hosting.Models;

/// <summary>
/// Offline reading of the Hugging Face hub cache (huggingface_hub's layout): <c>{root}/models--{org}--{name}/</c> holds
/// <c>refs/{branch}</c> (a revision hash), <c>snapshots/{revision}/</c> (the files, as links into <c>../../blobs</c>)
/// and <c>blobs/</c>. Nothing is ever downloaded: a model not in the cache is a <see cref="ModelNotFoundException"/>
/// that says where it was looked for.
/// </summary>
public static class HubCache
{
    public const string IdPrefix = "hf:";
    public const string RepoFolderPrefix = "models--";

    /// <summary>The cache root as huggingface_hub picks it: <c>HF_HUB_CACHE</c>, else <c>HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>.</summary>
    public static string DefaultRoot() => DefaultRootWithSource().Root;

    /// <summary>The root and which setting chose it (for error messages).</summary>
    public static (string Root, string Source) DefaultRootWithSource()
    {
        if (Environment.GetEnvironmentVariable("HF_HUB_CACHE") is { Length: > 0 } cache)
            return (Path.GetFullPath(cache), "HF_HUB_CACHE");
        if (Environment.GetEnvironmentVariable("HF_HOME") is { Length: > 0 } home)
            return (Path.GetFullPath(Path.Combine(home, "hub")), "HF_HOME/hub");
        return (Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface", "hub"), "~/.cache/huggingface/hub");
    }

    public static bool IsHubId(string modelRef) => modelRef.StartsWith(IdPrefix, StringComparison.Ordinal);

    /// <summary>Parses <c>hf:org/name[@revision]</c>; null with a reason when it is malformed.</summary>
    public static (string RepoId, string Revision)? ParseId(string modelRef, out string problem)
    {
        var body = modelRef[IdPrefix.Length..];
        var at = body.IndexOf('@', StringComparison.Ordinal);
        var repo = at < 0 ? body : body[..at];
        var revision = at < 0 ? "main" : body[(at + 1)..];
        var parts = repo.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p is "." or ".." || !p.All(IsRepoChar)))
        {
            problem = $"'{modelRef}' is not a model id; expected hf:org/name or hf:org/name@revision (letters, digits, '-', '_', '.')";
            return null;
        }
        if (revision.Length == 0 || revision.Contains("..", StringComparison.Ordinal) || revision.StartsWith('/') || !revision.All(c => IsRepoChar(c) || c == '/'))
        {
            problem = $"'{modelRef}': revision '{revision}' is not a branch, tag or commit hash";
            return null;
        }
        problem = "";
        return (repo, revision);
    }

    /// <summary>The snapshot folder of <c>hf:org/name[@revision]</c> under <paramref name="root"/>.</summary>
    public static string ResolveId(string modelRef, string root, string rootSource)
    {
        if (ParseId(modelRef, out var problem) is not var (repoId, revision))
            throw new ModelNotFoundException(modelRef, problem);
        var repo = Path.Combine(root, RepoFolderPrefix + repoId.Replace("/", "--", StringComparison.Ordinal));
        if (!Directory.Exists(repo))
            throw new ModelNotFoundException(modelRef,
                $"model '{modelRef}' is not in the Hugging Face hub cache: no folder {repo} (cache root from {rootSource}; nothing is downloaded: fetch it first, e.g. `huggingface-cli download {repoId}`)");
        return ResolveRevision(modelRef, repo, revision);
    }

    /// <summary>The snapshot of a repo folder <c>models--org--name</c>: <c>refs/main</c>, else its only snapshot.</summary>
    public static string ResolveRepoFolder(string repo)
    {
        var refs = Path.Combine(repo, "refs", "main");
        if (File.Exists(refs))
            return ResolveRevision(repo, repo, "main");
        var snapshots = Path.Combine(repo, "snapshots");
        var found = Directory.Exists(snapshots) ? Directory.GetDirectories(snapshots) : [];
        return found.Length switch
        {
            1 => Checked(repo, found[0]),
            0 => throw new ModelNotFoundException(repo, $"hub-cache folder '{repo}' has no refs/main and no snapshot under snapshots/"),
            _ => throw new ModelNotFoundException(repo,
                $"hub-cache folder '{repo}' has no refs/main and {found.Length} snapshots ({string.Join(", ", found.Select(Path.GetFileName).Order(StringComparer.Ordinal))}); name one: its snapshots/<revision> folder, or hf:org/name@<revision>"),
        };
    }

    /// <summary>True for a folder laid out as a hub-cache repository (<c>models--*</c> with snapshots/ or refs/).</summary>
    public static bool IsRepoFolder(string folder) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)).StartsWith(RepoFolderPrefix, StringComparison.Ordinal)
        && (Directory.Exists(Path.Combine(folder, "snapshots")) || Directory.Exists(Path.Combine(folder, "refs")));

    private static string ResolveRevision(string modelRef, string repo, string revision)
    {
        var refFile = Path.Combine(repo, "refs", revision);
        var hash = File.Exists(refFile) ? File.ReadAllText(refFile).Trim() : revision;
        var snapshot = Path.Combine(repo, "snapshots", hash);
        if (!Directory.Exists(snapshot))
        {
            var known = Directory.Exists(Path.Combine(repo, "snapshots"))
                ? string.Join(", ", Directory.GetDirectories(Path.Combine(repo, "snapshots")).Select(Path.GetFileName).Order(StringComparer.Ordinal))
                : "none";
            throw new ModelNotFoundException(modelRef, File.Exists(refFile)
                ? $"model '{modelRef}': refs/{revision} names revision {hash}, but {snapshot} does not exist (snapshots: {known})"
                : $"model '{modelRef}': revision '{revision}' is neither a ref under {Path.Combine(repo, "refs")} nor a snapshot under {Path.Combine(repo, "snapshots")} (snapshots: {known})");
        }
        return Checked(modelRef, snapshot);
    }

    private static string Checked(string modelRef, string snapshot)
    {
        if (!File.Exists(Path.Combine(snapshot, "config.json")))
            throw new ModelNotFoundException(modelRef, $"model '{modelRef}': snapshot {snapshot} holds no config.json (an incomplete download?)");
        return Path.GetFullPath(snapshot);
    }

    private static bool IsRepoChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
