using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PrunerPipeline.Hosting;

/// <summary>
/// How every service's Program.cs starts its process: a host builder, the service's own dependencies, the shared
/// defaults with the service's consumers (<see cref="PrunerHostingExtensions.AddPrunerDefaults"/>), then run until stopped.
/// </summary>
public static class PrunerServiceHost
{
    /// <summary>Builds the service's host from <paramref name="args"/> and the configuration; it is not started.</summary>
    public static IHost Build(string[] args, Action<IServiceCollection> addService, Action<IBusRegistrationConfigurator> addConsumers)
    {
        var builder = Host.CreateApplicationBuilder(args);
        addService(builder.Services);
        builder.AddPrunerDefaults(addConsumers);
        return builder.Build();
    }

    /// <summary>Builds the service's host and runs it until the process is told to stop.</summary>
    public static void Run(string[] args, Action<IServiceCollection> addService, Action<IBusRegistrationConfigurator> addConsumers) =>
        Build(args, addService, addConsumers).Run();
}
