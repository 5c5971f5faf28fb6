namespace PrunerPipeline.RolloutService;

/// <summary>Configuration section <c>Rollouts</c> of a rollout worker.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollouts";

    /// <summary>Sequences generated together in one batched KV-cache pass (a problem's K samples share a prompt length).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Device the reference model runs on: <c>cpu</c>, or <c>cuda</c> where the CUDA backend is installed.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>CPU threads for TorchSharp (0 = libtorch's default, all cores). Several workers on one machine split the cores.</summary>
    public int Threads { get; set; }
}
