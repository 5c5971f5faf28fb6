using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrunerPipeline.Hosting.Artifacts;

namespace PrunerPipeline.Hosting.Models;

/// <summary>
/// Turns a model reference (from <c>StartPruningRun.BaseModel</c> or a <c>CheckpointPublished</c>) into a local folder
/// in Hugging Face layout that <c>CausalLM.Load</c> can read:
/// <list type="bullet">
/// <item><c>hf:org/name[@revision]</c>: a snapshot of the Hugging Face hub cache (<see cref="HubCache"/>), offline;</item>
/// <item>a local folder (absolute, <c>./</c>, <c>../</c>, <c>~/</c>): a model folder, a hub-cache snapshot folder, or a
/// hub-cache repository folder <c>models--org--name</c> (its <c>refs/main</c>, else its only snapshot);</item>
/// <item>anything else: an artifact-store prefix (<c>builtin</c> means <c>models/builtin</c>), downloaded once into the local cache.</item>
/// </list>
/// References arrive in messages, so a local folder resolves only inside an allowed root (<see cref="AllowedRoots"/>:
/// the file store, the model cache, the hub cache, <c>Models:AllowedRoots</c>, and folders the embedded CLI was given
/// on its own command line, <see cref="AllowRoot"/>).
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
    private readonly List<string> extraRoots = [];

    public ModelLocator(IArtifactStore store, IOptions<ModelCacheOptions> options, ILogger<ModelLocator> logger)
    {
        this.store = store;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>The hub cache this locator reads: <c>Models:HubCache</c>, else huggingface_hub's own default.</summary>
    public (string Root, string Source) HubRoot =>
        options.HubCache is { Length: > 0 } configured ? (Path.GetFullPath(configured), "Models:HubCache") : HubCache.DefaultRootWithSource();

    /// <summary>Folders a local model reference may resolve inside (full paths).</summary>
    public IReadOnlyList<string> AllowedRoots
    {
        get
        {
            var roots = new List<string> { Path.GetFullPath(options.CacheRoot), HubRoot.Root };
            if (store is FileSystemArtifactStore fileStore)
                roots.Add(Path.GetFullPath(fileStore.Root));
            roots.AddRange(options.AllowedRoots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => Path.GetFullPath(ExpandHome(r))));
            lock (extraRoots)
                roots.AddRange(extraRoots);
            return roots.Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Lets local model references of this process resolve inside <paramref name="folder"/> (the embedded CLI
    /// passes the local folders its user named on the command line or in the run file).</summary>
    public void AllowRoot(string folder)
    {
        lock (extraRoots)
            extraRoots.Add(Path.GetFullPath(ExpandHome(folder)));
    }

    /// <summary>True for <c>hf:</c> ids and paths (absolute, <c>./</c>, <c>../</c>, <c>~/</c>): references that never name an artifact-store prefix.</summary>
    public static bool IsLocalReference(string modelRef) =>
        HubCache.IsHubId(modelRef) || Path.IsPathRooted(modelRef) || modelRef is "." or ".." or "~"
        || modelRef.StartsWith("./", StringComparison.Ordinal) || modelRef.StartsWith("../", StringComparison.Ordinal) || modelRef.StartsWith("~/", StringComparison.Ordinal);

    /// <summary>
    /// The model folder of an <c>hf:</c> id or a local path (model folder, hub-cache snapshot or repo folder), with no
    /// root restriction (for a user's own command line); null when <paramref name="modelRef"/> is neither (an
    /// artifact-store prefix). Throws <see cref="ModelNotFoundException"/> naming what was looked for and where.
    /// </summary>
    public static string? ResolveLocal(string modelRef, (string Root, string Source)? hubRoot = null, bool anyExistingFolder = false)
    {
        if (HubCache.IsHubId(modelRef))
        {
            var (root, source) = hubRoot ?? HubCache.DefaultRootWithSource();
            return HubCache.ResolveId(modelRef, root, source);
        }
        if (!IsLocalReference(modelRef) && !(anyExistingFolder && Directory.Exists(modelRef)))
            return null;
        var folder = Path.GetFullPath(ExpandHome(modelRef));
        if (!Directory.Exists(folder))
            throw new ModelNotFoundException(modelRef, File.Exists(folder)
                ? $"model '{modelRef}' is a file; a model is a folder with config.json (or a hub-cache models--org--name folder)"
                : $"model folder '{folder}' does not exist");
        // A PEFT adapter folder is a model too (its base is named inside, base_model_name_or_path).
        if (File.Exists(Path.Combine(folder, "config.json")) || File.Exists(Path.Combine(folder, "adapter_config.json")))
            return folder;
        if (HubCache.IsRepoFolder(folder))
            return HubCache.ResolveRepoFolder(folder);
        throw new ModelNotFoundException(modelRef, $"model folder '{folder}' holds no config.json and is not a hub-cache models--org--name folder");
    }

    /// <summary>Why a local or <c>hf:</c> reference would not resolve here (not found, or outside the allowed roots); null when it resolves or is a store prefix.</summary>
    public string? Problem(string modelRef)
    {
        try
        {
            var folder = ResolveLocal(modelRef, HubRoot);
            return folder is null ? null : OutsideRoots(modelRef, folder);
        }
        catch (ModelNotFoundException e)
        {
            return e.Message;
        }
    }

    private string? OutsideRoots(string modelRef, string folder)
    {
        var roots = AllowedRoots;
        return roots.Any(root => IsInside(folder, root))
            ? null
            : $"model '{modelRef}' ({folder}) is outside the allowed model roots ({string.Join(", ", roots)}); add its folder to Models:AllowedRoots";
    }

    private static bool IsInside(string folder, string root)
    {
        var full = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        var prefix = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;

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
        if (ResolveLocal(modelRef, HubRoot) is { } local)
        {
            if (OutsideRoots(modelRef, local) is { } problem)
            {
                throw new ModelNotFoundException(modelRef, problem);
            }
            return local;
        }

        var prefix = PrefixOf(modelRef);
        ArtifactName.Validate(prefix, nameof(modelRef));

        // The file-system store already holds the files in the right layout: no copy needed.
        if (store is FileSystemArtifactStore fileStore)
        {
            var folder = Path.Combine(fileStore.Root, prefix.Replace('/', Path.DirectorySeparatorChar));
            if (!AdapterFolders.HoldsModel(folder))
            {
                throw ModelNotFoundException.InStore(modelRef, prefix);
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
                throw ModelNotFoundException.InStore(modelRef, prefix);
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
