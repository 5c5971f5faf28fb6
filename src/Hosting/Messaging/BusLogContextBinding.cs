using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PrunerPipeline.Hosting.Messaging;

/// <summary>
/// MassTransit keeps its log context in an async-local that outlives a host: a second host started in the same flow
/// (a demo running several pipelines one after another, a test restarting a service) would create its bus with the
/// first host's disposed logger factory and fail. The host creates every hosted service, in registration order,
/// before starting any, and MassTransit creates the bus while its hosted service is created; so this one, registered
/// before MassTransit, binds the context in its constructor (a synchronous call: the async-local stays visible to the
/// rest of the host's start-up).
/// </summary>
public sealed class BusLogContextBinding : IHostedService
{
    public BusLogContextBinding(ILoggerFactory loggerFactory)
    {
        LogContext.ConfigureCurrentLogContext(loggerFactory);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The same for the calling flow: call right after building a host, before using its bus from that flow.</summary>
    public static void BindTo(IServiceProvider services) =>
        LogContext.ConfigureCurrentLogContext((ILoggerFactory?)services.GetService(typeof(ILoggerFactory)));
}
