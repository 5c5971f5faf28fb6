namespace PrunerPipeline.Hosting.Models;

/// <summary>Configuration section <c>Models</c>.</summary>
public sealed class ModelCacheOptions
{
    public const string Section = "Models";

    /// <summary>Where models downloaded from a remote artifact store are cached on this machine.</summary>
    public string CacheRoot { get; set; } = "./.pruner/models";

    /// <summary>The Hugging Face hub cache to resolve <c>hf:</c> ids in; empty = <c>HF_HUB_CACHE</c>, else <c>HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>.</summary>
    public string? HubCache { get; set; }

    /// <summary>Further folders local model references (in messages) may resolve inside, beside the store, the model cache and the hub cache.</summary>
    public List<string> AllowedRoots { get; set; } = [];
}
