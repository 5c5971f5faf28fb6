using Microsoft.Extensions.Hosting;

namespace PrunerPipeline.Cli.Embedded;

/// <summary>
/// The lifetime of a host that a CLI command starts and stops itself. The default <c>ConsoleLifetime</c> takes
/// SIGINT/SIGTERM for itself (it cancels the process's termination and asks the host to stop, which only a host that
/// waits for shutdown would notice), so <c>pruner run</c> went on running after SIGTERM. With this one the signal reaches
/// System.CommandLine, which cancels the command's token; the command then stops its host within
/// <see cref="HostStopping.Limit"/>.
/// </summary>
public sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
