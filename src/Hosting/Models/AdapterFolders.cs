using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PrunerPipeline.Hosting.Models;

/// <summary>
/// PEFT adapter folders (adapter_config.json + adapter_model.safetensors) as model references. Their base is named by
/// <c>base_model_name_or_path</c>, which in this pipeline is a model reference (<c>builtin</c>, a store prefix, a folder),
/// so the decoder, which only reads local folders, needs that reference turned into a folder first.
/// </summary>
public static class AdapterFolders
{
    public const string ConfigFile = "adapter_config.json";
    private const string BaseKey = "base_model_name_or_path";

    /// <summary>A full model (config.json) or an adapter (adapter_config.json).</summary>
    public static bool HoldsModel(string folder) =>
        File.Exists(Path.Combine(folder, "config.json")) || File.Exists(Path.Combine(folder, ConfigFile));

    /// <summary>
    /// <paramref name="folder"/> itself, unless it is an adapter whose base is not a folder here: then a copy of it under
    /// <c>{cacheRoot}/adapters/</c> whose base_model_name_or_path is the base's resolved local folder (resolved by
    /// <paramref name="resolve"/>, so a base that is itself an adapter is handled the same way). The adapter's files are
    /// small (its weights and the tokenizer); the base is never copied.
    /// </summary>
    public static async Task<string> LocalizeAsync(string folder, string cacheRoot, Func<string, Task<string>> resolve, CancellationToken ct)
    {
        var configPath = Path.Combine(folder, ConfigFile);
        if (File.Exists(Path.Combine(folder, "config.json")) || !File.Exists(configPath))
        {
            return folder;
        }
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath, ct)) as JsonObject
            ?? throw new InvalidDataException($"{configPath} is not a JSON object");
        var baseRef = config[BaseKey]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(baseRef))
        {
            throw new InvalidDataException($"{configPath}: {BaseKey} is empty, so the adapter's base model is unknown");
        }
        var local = Path.IsPathRooted(baseRef) ? baseRef : Path.Combine(folder, baseRef);
        if (Directory.Exists(local) && HoldsModel(local))
        {
            return folder;
        }
        var baseFolder = Path.GetFullPath(await resolve(baseRef));

        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var identity = new StringBuilder(Path.GetFullPath(folder)).Append('|').Append(baseFolder);
        foreach (var file in files)
        {
            var info = new FileInfo(Path.Combine(folder, file!));
            identity.Append('|').Append(file).Append(':').Append(info.Length).Append(':').Append(info.LastWriteTimeUtc.Ticks);
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16];
        var target = Path.GetFullPath(Path.Combine(cacheRoot, "adapters", key));
        if (File.Exists(Path.Combine(target, ConfigFile)))
        {
            return target;
        }
        var staging = target + ".staging-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        foreach (var file in files.Where(f => f != ConfigFile))
        {
            File.Copy(Path.Combine(folder, file!), Path.Combine(staging, file!));
        }
        config[BaseKey] = baseFolder;
        // Written last: its presence marks a complete copy.
        await File.WriteAllTextAsync(Path.Combine(staging, ConfigFile), config.ToJsonString(new() { WriteIndented = true }), ct);
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, ConfigFile)))
        {
            Directory.Delete(staging, recursive: true);
        }
        return target;
    }
}
