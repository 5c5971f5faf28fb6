namespace PrunerPipeline.TestSupport;

/// <summary>Finds the repository root (the folder holding PrunerPipeline.sln) by walking up from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrunerPipeline.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"PrunerPipeline.sln not found above {AppContext.BaseDirectory}");
    }
}
