using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrunerPipeline.Hosting.Artifacts;

/// <summary>JSON, text and folder helpers over <see cref="IArtifactStore"/>; every write goes through the atomic <see cref="IArtifactStore.WriteAsync"/>.</summary>
public static class ArtifactStoreExtensions
{
    /// <summary>camelCase, enums as camelCase strings ("sequence"; any case is read), indented: the blobs are read by people as well as services.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task WriteJsonAsync<T>(this IArtifactStore store, string name, T value, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await JsonSerializer.SerializeAsync(buffer, value, JsonOptions, ct);
        buffer.Position = 0;
        await store.WriteAsync(name, buffer, ct);
    }

    /// <summary>Creates the blob as JSON unless it exists (<see cref="IArtifactStore.CreateAsync"/>); true when this call created it.</summary>
    public static async Task<bool> CreateJsonAsync<T>(this IArtifactStore store, string name, T value, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await JsonSerializer.SerializeAsync(buffer, value, JsonOptions, ct);
        buffer.Position = 0;
        return await store.CreateAsync(name, buffer, ct);
    }

    /// <summary>The deserialized blob, or default when the blob does not exist.</summary>
    public static async Task<T?> ReadJsonAsync<T>(this IArtifactStore store, string name, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(name, ct);
        if (stream is null)
        {
            return default;
        }
        return await JsonSerializer.DeserializeAsync<T>(stream, JsonOptions, ct);
    }

    public static async Task WriteTextAsync(this IArtifactStore store, string name, string text, CancellationToken ct)
    {
        using var buffer = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await store.WriteAsync(name, buffer, ct);
    }

    /// <summary>The blob as UTF-8 text, or null when it does not exist.</summary>
    public static async Task<string?> ReadTextAsync(this IArtifactStore store, string name, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(name, ct);
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>Uploads every file under <paramref name="directory"/> to <c>{prefix}/{relative path}</c>; returns the blob names written.</summary>
    public static async Task<IReadOnlyList<string>> UploadFolderAsync(this IArtifactStore store, string prefix, string directory, CancellationToken ct)
    {
        prefix = prefix.TrimEnd('/');
        ArtifactName.Validate(prefix, nameof(prefix));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Folder to upload does not exist: {directory}");
        }
        var written = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = $"{prefix}/{Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/')}";
            await using var content = File.OpenRead(file);
            await store.WriteAsync(name, content, ct);
            written.Add(name);
        }
        return written;
    }

    /// <summary>Downloads every blob under <c>{prefix}/</c> into <paramref name="directory"/>, keeping relative paths; returns how many files were written.</summary>
    public static async Task<int> DownloadFolderAsync(this IArtifactStore store, string prefix, string directory, CancellationToken ct)
    {
        prefix = prefix.TrimEnd('/') + "/";
        ArtifactName.ValidatePrefix(prefix);
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var count = 0;
        await foreach (var name in store.ListAsync(prefix, ct))
        {
            var target = Path.GetFullPath(Path.Combine(root, name[prefix.Length..].Replace('/', Path.DirectorySeparatorChar)));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var source = await store.OpenReadAsync(name, ct)
                ?? throw new FileNotFoundException($"Blob {name} vanished while downloading {prefix}");
            // Same atomicity as the store: a half-downloaded model file must never look complete.
            var temporary = target + ".download-" + Guid.NewGuid().ToString("N");
            await using (var file = File.Create(temporary))
            {
                await source.CopyToAsync(file, ct);
            }
            File.Move(temporary, target, overwrite: true);
            count++;
        }
        return count;
    }
}
