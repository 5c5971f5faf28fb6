using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace PrunerPipeline.Hosting.Health;

/// <summary>
/// The services are plain worker hosts without HTTP, so health is published as a small file
/// (<c>Health:File</c>, default <c>/tmp/pruner-health-{application}</c>) that container health checks and scripts can read.
/// </summary>
public sealed class HealthFilePublisher(string path, ILogger<HealthFilePublisher> logger) : IHealthCheckPublisher
{
    private HealthStatus? lastStatus;

    public async Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var lines = report.Entries.Select(e => $"{e.Key}: {e.Value.Status} {e.Value.Description}");
        await File.WriteAllTextAsync(path, $"{report.Status}\n{string.Join('\n', lines)}\n", cancellationToken);
        if (lastStatus != report.Status)
        {
            logger.LogInformation("Health is {Status}", report.Status);
            lastStatus = report.Status;
        }
    }
}
