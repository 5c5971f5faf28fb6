using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrunerPipeline.Hosting.Artifacts;

namespace PrunerPipeline.Hosting.Models;

/// <summary>
/// Turns a model reference (from <c>StartPruningRun.BaseModel</c> or a <c>CheckpointPublished</c>) into a local folder
/// in Hugging Face layout that <c>CausalLM.Load</c> can read. A local folder is used as is; anything else is an
/// artifact-store prefix (<c>builtin</c> means <c>models/builtin</c>), downloaded once into the local cache.
/// </summary>
public sealed class ModelLocator
{
    public const string BuiltinModel = "builtin";
    public const string BuiltinPrefix = ArtifactLayout.BuiltinModel;
    private const string CompleteMarker = ".complete";

    private readonly IArtifactStore store;
    private readonly ModelCacheOptions options;
    private readonly ILogger<ModelLocator> logger;
    private readonly SemaphoreSlim downloads = new(1, 1);

    public ModelLocator(IArtifactStore store, IOptions<ModelCacheOptions> options, ILogger<ModelLocator> logger)
    {
        this.store = store;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>The artifact-store prefix a model reference names (<c>builtin</c> → <c>models/builtin</c>).</summary>
    public static string PrefixOf(string modelRef) =>
        modelRef == BuiltinModel ? BuiltinPrefix : modelRef.Trim().TrimEnd('/');

    /// <summary>True when the reference is a folder on this machine rather than a blob prefix.</summary>
    public static bool IsLocalFolder(string modelRef) =>
        (Path.IsPathRooted(modelRef) || modelRef.StartsWith("./", StringComparison.Ordinal) || modelRef.StartsWith("../", StringComparison.Ordinal))
        && Directory.Exists(modelRef);

    /// <summary>
    /// The local folder of <paramref name="modelRef"/>. A PEFT adapter whose base is not a folder on this machine comes
    /// back as a local copy whose base_model_name_or_path names the base's resolved folder (<see cref="AdapterFolders"/>).
    /// </summary>
    public async Task<string> ResolveAsync(string modelRef, CancellationToken ct)
    {
        var folder = await ResolveFolderAsync(modelRef, ct);
        return await AdapterFolders.LocalizeAsync(folder, options.CacheRoot, baseRef => ResolveAsync(baseRef, ct), ct);
    }

    private async Task<string> ResolveFolderAsync(string modelRef, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(modelRef))
        {
            throw new ArgumentException("Model reference is empty; use 'builtin', an artifact-store prefix or a local folder", nameof(modelRef));
        }
        if (IsLocalFolder(modelRef))
        {
            return Path.GetFullPath(modelRef);
        }

        var prefix = PrefixOf(modelRef);
        ArtifactName.Validate(prefix, nameof(modelRef));

        // The file-system store already holds the files in the right layout: no copy needed.
        if (store is FileSystemArtifactStore fileStore)
        {
            var folder = Path.Combine(fileStore.Root, prefix.Replace('/', Path.DirectorySeparatorChar));
            if (!AdapterFolders.HoldsModel(folder))
            {
                throw new ModelNotFoundException(modelRef, prefix);
            }
            return folder;
        }

        var cached = Path.GetFullPath(Path.Combine(options.CacheRoot, prefix.Replace('/', Path.DirectorySeparatorChar)));
        if (File.Exists(Path.Combine(cached, CompleteMarker)))
        {
            return cached;
        }

        await downloads.WaitAsync(ct);
        try
        {
            if (File.Exists(Path.Combine(cached, CompleteMarker)))
            {
                return cached;
            }
            // Download beside the cache entry and rename, so a crash mid-download never leaves a folder that looks complete.
            var staging = cached + ".staging-" + Guid.NewGuid().ToString("N");
            var files = await store.DownloadFolderAsync(prefix, staging, ct);
            if (files == 0 || !AdapterFolders.HoldsModel(staging))
            {
                Directory.Delete(staging, recursive: true);
                throw new ModelNotFoundException(modelRef, prefix);
            }
            await File.WriteAllTextAsync(Path.Combine(staging, CompleteMarker), DateTimeOffset.UtcNow.ToString("O"), ct);
            // Several workers on one machine share the cache: the first complete copy wins, and a complete folder is
            // never deleted (another process may be loading from it).
            if (!PublishStaged(staging, cached))
            {
                return cached;
            }
            logger.LogInformation("Model {ModelRef} downloaded from {Prefix} into {Folder} ({Files} files)", modelRef, prefix, cached, files);
            return cached;
        }
        finally
        {
            downloads.Release();
        }
    }

    /// <summary>Renames the staged download into place; false (and the staging folder removed) when another process got there first.</summary>
    private static bool PublishStaged(string staging, string cached)
    {
        var marker = Path.Combine(cached, CompleteMarker);
        if (!File.Exists(marker) && Directory.Exists(cached))
        {
            // An incomplete leftover (a crash before this code renamed whole folders).
            Directory.Delete(cached, recursive: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        try
        {
            if (!File.Exists(marker))
            {
                Directory.Move(staging, cached);
                return true;
            }
        }
        catch (IOException) when (File.Exists(marker))
        {
            // Lost the race to a process that renamed its own complete copy a moment earlier.
        }
        Directory.Delete(staging, recursive: true);
        return false;
    }
}
