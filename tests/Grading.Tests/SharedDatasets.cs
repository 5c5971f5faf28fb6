using System.Text.Json;

namespace PrunerPipeline.Grading.Tests;

/// <summary>Reads the shared datasets (../shared/datasets from the repository root) without depending on src/Datasets.</summary>
internal static class SharedDatasets
{
    public sealed record Row(string Id, string Answer, string Solution);

    public static IReadOnlyList<Row> Read(string relativePath)
    {
        var path = Path.Combine(Root(), relativePath);
        return File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                return new Row(root.GetProperty("id").GetString()!, root.GetProperty("answer").GetString()!, root.GetProperty("solution").GetString()!);
            })
            .ToList();
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrunerPipeline.sln")))
            {
                var datasets = Path.Combine(dir.FullName, "..", "shared", "datasets");
                if (Directory.Exists(datasets))
                {
                    return datasets;
                }
            }
        }

        throw new DirectoryNotFoundException("shared/datasets not found next to the folder holding PrunerPipeline.sln");
    }
}
