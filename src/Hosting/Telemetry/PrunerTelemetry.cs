using System.Diagnostics;

namespace PrunerPipeline.Hosting.Telemetry;

/// <summary>Activity sources traced by <c>AddPrunerDefaults</c>: MassTransit's own (send, publish, consume) and the pipeline's.</summary>
public static class PrunerTelemetry
{
    /// <summary>MassTransit's <see cref="ActivitySource"/> name (its DiagnosticHeaders.DefaultListenerName).</summary>
    public const string MassTransitSource = "MassTransit";

    public const string SourceName = "PrunerPipeline";

    /// <summary>For spans around long work (sampling a shard, a training epoch, an evaluation).</summary>
    public static readonly ActivitySource Source = new(SourceName);
}
