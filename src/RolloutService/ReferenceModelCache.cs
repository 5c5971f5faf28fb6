using Microsoft.Extensions.Logging;
using PrunerPipeline.Model;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// The reference models a worker samples from, leased from the process's <see cref="FrozenModelCache"/>: read from disk
/// once per process (not once per shard), kept in the checkpoint's own dtype (BF16 stays BF16), and shared with the
/// evaluation service when both are hosted in one process.
/// </summary>
public sealed class ReferenceModelCache(FrozenModelCache models, RolloutOptions options, ILogger<ReferenceModelCache> logger)
{
    /// <summary>A lease on the reference model of <paramref name="folder"/>; dispose it when the shard is sampled.</summary>
    public FrozenModelCache.ModelLease Get(string folder)
    {
        if (options.Threads > 0)
        {
            TorchSharp.torch.set_num_threads(options.Threads);
        }

        var lease = models.Acquire(folder, options.Device);
        logger.LogInformation("Reference model from {Folder} on {Device} ({Dtype})", folder, options.Device, lease.Model.ParameterDtype);
        return lease;
    }
}
