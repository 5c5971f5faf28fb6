using Microsoft.Extensions.Diagnostics.HealthChecks;
using PrunerPipeline.Hosting.Artifacts;

namespace PrunerPipeline.Hosting.Health;

/// <summary>Healthy when the artifact store answers a listing (the container or root folder is reachable).</summary>
public sealed class ArtifactStoreHealthCheck(IArtifactStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ExistsAsync("health/probe", cancellationToken);
            return HealthCheckResult.Healthy($"{store.GetType().Name} reachable");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{store.GetType().Name} unreachable: {e.Message}");
        }
    }
}
