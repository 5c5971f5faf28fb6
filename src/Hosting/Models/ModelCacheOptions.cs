namespace PrunerPipeline.Hosting.Models;

/// <summary>Configuration section <c>Models</c>.</summary>
public sealed class ModelCacheOptions
{
    public const string Section = "Models";

    /// <summary>Where models downloaded from a remote artifact store are cached on this machine.</summary>
    public string CacheRoot { get; set; } = "./.pruner/models";
}
