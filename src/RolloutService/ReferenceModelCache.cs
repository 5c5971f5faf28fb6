using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Model;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// Holds each reference model a worker has loaded, keyed by its local folder: the model is read from disk once per
/// worker process, not once per shard.
/// </summary>
public sealed class ReferenceModelCache(RolloutOptions options, ILogger<ReferenceModelCache> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ReferenceModel>> models = new(StringComparer.Ordinal);

    public ReferenceModel Get(string folder) =>
        models.GetOrAdd(Path.GetFullPath(folder), key => new Lazy<ReferenceModel>(() => Load(key))).Value;

    private ReferenceModel Load(string folder)
    {
        if (options.Threads > 0)
        {
            TorchSharp.torch.set_num_threads(options.Threads);
        }

        var model = CausalLM.Load(folder, device: options.Device);
        var tokenizer = TextTokenizer.Load(folder);
        logger.LogInformation("Reference model loaded from {Folder} on {Device}", folder, options.Device);
        return new ReferenceModel(model, tokenizer);
    }

    public void Dispose()
    {
        foreach (var model in models.Values.Where(m => m.IsValueCreated))
        {
            model.Value.Model.Dispose();
        }
    }
}
