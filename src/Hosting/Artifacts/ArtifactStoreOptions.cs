namespace PrunerPipeline.Hosting.Artifacts;

/// <summary>Configuration section <c>Artifacts</c>.</summary>
public sealed class ArtifactStoreOptions
{
    public const string Section = "Artifacts";

    /// <summary><c>filesystem</c> (default) or <c>azure</c>.</summary>
    public string Provider { get; set; } = "filesystem";

    /// <summary>Root folder of the file-system store.</summary>
    public string Root { get; set; } = "./.pruner/store";

    /// <summary>Azure Storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite on its default ports).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob container; lower-case letters, digits and '-'.</summary>
    public string Container { get; set; } = "pruner";
}
