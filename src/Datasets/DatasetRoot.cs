namespace PrunerPipeline.Datasets;

/// <summary>
/// Finds the folder that holds the shared JSONL datasets: the configured <c>Datasets:Root</c> when given (the caller
/// reads it from its IConfiguration, where the <c>Datasets__Root</c> environment variable lands), otherwise the first
/// <c>shared/datasets</c> folder found walking up from the current directory or from the application's base directory.
/// </summary>
public static class DatasetRoot
{
    public static string Resolve(string? configuredRoot = null)
    {
        var configured = configuredRoot;
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
            $"No shared/datasets folder found above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'; set Datasets:Root (environment: Datasets__Root)");
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
