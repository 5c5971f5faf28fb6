using System.Security.Cryptography;
using System.Text;

namespace PrunerPipeline.Model.Shapes;

/// <summary>
/// Lays a plain model folder out as the Hugging Face hub cache does (<c>huggingface_hub</c>'s cache layout):
/// <c>{root}/models--{org}--{name}/blobs/{sha256}</c> holds the files' contents, <c>snapshots/{revision}/{file}</c>
/// are relative symbolic links <c>../../blobs/{sha256}</c>, and <c>refs/main</c> names the revision.
/// </summary>
public static class HubCacheLayout
{
    /// <summary>The cache folder name of a repository id: <c>Qwen/Qwen2.5-0.5B</c> → <c>models--Qwen--Qwen2.5-0.5B</c>.</summary>
    public static string RepoFolderName(string repoId) => "models--" + repoId.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>
    /// Moves every file of <paramref name="source"/> into the cache under <paramref name="hubRoot"/> and returns the
    /// snapshot folder. The revision is a 40-hex digest of the files' hashes (stable for the same content).
    /// </summary>
    public static string Publish(string source, string hubRoot, string repoId)
    {
        var repo = Path.Combine(hubRoot, RepoFolderName(repoId));
        var blobs = Directory.CreateDirectory(Path.Combine(repo, "blobs")).FullName;
        var files = Directory.GetFiles(source).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var hashes = new List<(string File, string Sha)>();
        foreach (var file in files)
        {
            string sha;
            using (var stream = File.OpenRead(file))
                sha = Convert.ToHexStringLower(SHA256.HashData(stream));
            var blob = Path.Combine(blobs, sha);
            if (File.Exists(blob))
                File.Delete(file);
            else
                File.Move(file, blob);
            hashes.Add((Path.GetFileName(file), sha));
        }
        var revision = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Join("\n", hashes.Select(h => $"{h.File} {h.Sha}")))));
        var snapshot = Directory.CreateDirectory(Path.Combine(repo, "snapshots", revision)).FullName;
        foreach (var (file, sha) in hashes)
        {
            var link = Path.Combine(snapshot, file);
            if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
                File.Delete(link);
            File.CreateSymbolicLink(link, Path.Combine("..", "..", "blobs", sha));
        }
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), revision);
        return snapshot;
    }
}
