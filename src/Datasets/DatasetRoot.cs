namespace PrunerPipeline.Datasets;

/// <summary>
/// Finds the folder that holds the shared JSONL datasets: the configured <c>Datasets:Root</c> when given
/// (also read from the <c>Datasets__Root</c> environment variable), otherwise the first <c>shared/datasets</c>
/// folder found walking up from the current directory or from the application's base directory.
/// </summary>
public static class DatasetRoot
{
    public const string EnvironmentVariable = "Datasets__Root";

    public static string Resolve(string? configuredRoot = null)
    {
        var configured = string.IsNullOrWhiteSpace(configuredRoot)
            ? Environment.GetEnvironmentVariable(EnvironmentVariable)
            : configuredRoot;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Directory.Exists(configured))
                throw new DirectoryNotFoundException($"Datasets:Root '{configured}' does not exist");
            return Path.GetFullPath(configured);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var found = WalkUp(start);
            if (found is not null)
                return found;
        }
        throw new DirectoryNotFoundException(
            $"No shared/datasets folder found above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'; set Datasets:Root (or {EnvironmentVariable})");
    }

    private static string? WalkUp(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets");
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
