using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PrunerPipeline.Datasets;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Datasets;
using PrunerPipeline.Hosting.Health;
using PrunerPipeline.Hosting.Logging;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Hosting.Telemetry;

namespace PrunerPipeline.Hosting;

/// <summary>
/// The one place that wires what every service shares (eShop ServiceDefaults style): the bus, the artifact store,
/// the model locator, logging, health checks and tracing. Switching embedded ↔ distributed is configuration only.
/// </summary>
public static class PrunerHostingExtensions
{
    /// <summary>
    /// Wires the shared infrastructure and calls <c>AddMassTransit</c> once; <paramref name="addConsumers"/> lets each
    /// service add its consumers and sagas (<c>bus =&gt; bus.AddRolloutConsumers()</c>).
    /// </summary>
    public static IHostApplicationBuilder AddPrunerDefaults(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? addConsumers = null)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BusLogContextBinding>());
        builder.Services.AddPrunerArtifacts(builder.Configuration);
        builder.AddPrunerObservability();
        builder.Services.AddPrunerBus(builder.Configuration, addConsumers);
        return builder;
    }

    /// <summary>
    /// Registers what a service reads and writes: <see cref="IArtifactStore"/> (by <c>Artifacts:Provider</c>),
    /// <see cref="ModelLocator"/>, and the shared datasets (<see cref="DatasetOptions"/>, <see cref="ProblemLookup"/>).
    /// </summary>
    public static IServiceCollection AddPrunerArtifacts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ArtifactStoreOptions>(configuration.GetSection(ArtifactStoreOptions.Section));
        services.Configure<ModelCacheOptions>(configuration.GetSection(ModelCacheOptions.Section));
        services.Configure<DatasetOptions>(configuration.GetSection(DatasetOptions.Section));
        services.TryAddSingleton<ProblemLookup>();
        services.TryAddSingleton<IArtifactStore>(provider => CreateArtifactStore(provider.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value));
        services.TryAddSingleton<ModelLocator>();
        return services;
    }

    public static IArtifactStore CreateArtifactStore(ArtifactStoreOptions options)
    {
        switch (options.Provider.ToLowerInvariant())
        {
            case "filesystem":
                return new FileSystemArtifactStore(options.Root);
            case "azure":
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException("Artifacts:ConnectionString is required when Artifacts:Provider is 'azure' (set the environment variable Artifacts__ConnectionString)");
                }
                return new AzureBlobArtifactStore(options.ConnectionString, options.Container);
            default:
                throw new InvalidOperationException($"Artifacts:Provider '{options.Provider}' is not supported; allowed: filesystem, azure");
        }
    }

    /// <summary>Registers MassTransit on the configured transport with kebab-case endpoint names, retries and error queues.</summary>
    public static IServiceCollection AddPrunerBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? addConsumers = null)
    {
        MessageJson.UseEnumNames();
        var bus = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        services.Configure<BusOptions>(configuration.GetSection(BusOptions.Section));
        // Before anything that creates the bus (MassTransit's hosted service, health-check publishing).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BusLogContextBinding>());

        services.AddMassTransit(x =>
        {
            // generate-rollouts, start-pruning-run, ...: readable in the RabbitMQ console.
            x.SetKebabCaseEndpointNameFormatter();
            addConsumers?.Invoke(x);

            if (bus.IsRabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(bus.Host, bus.Port, bus.VirtualHost, host =>
                    {
                        host.Username(bus.Username ?? throw new InvalidOperationException("Bus:Username is required for RabbitMQ (environment variable Bus__Username)"));
                        host.Password(bus.Password ?? throw new InvalidOperationException("Bus:Password is required for RabbitMQ (environment variable Bus__Password)"));
                        // The broker acknowledges every publish, so a command is never silently lost on the way in.
                        host.PublisherConfirmation = true;
                    });
                    cfg.PrefetchCount = bus.PrefetchCount;
                    cfg.UsePrunerRetry(bus);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else if (string.Equals(bus.Transport, "inmemory", StringComparison.OrdinalIgnoreCase))
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UsePrunerRetry(bus);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                throw new InvalidOperationException($"Bus:Transport '{bus.Transport}' is not supported; allowed: inmemory, rabbitmq");
            }
        });

        services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            // Graceful shutdown: in-flight consumers get this long to finish; after that they are cancelled and their
            // messages, never acknowledged, go back to the queue for another worker.
            options.StopTimeout = TimeSpan.FromSeconds(bus.ShutdownTimeoutSeconds + 5);
            options.ConsumerStopTimeout = TimeSpan.FromSeconds(bus.ShutdownTimeoutSeconds);
        });
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(bus.ShutdownTimeoutSeconds + 10));
        return services;
    }

    /// <summary>Structured console logging, health checks (bus and artifact store) and OpenTelemetry tracing.</summary>
    public static IHostApplicationBuilder AddPrunerObservability(this IHostApplicationBuilder builder)
    {
        var logFormat = builder.Configuration["Logging:Format"];
        if (string.Equals(logFormat, "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        builder.Logging.WriteCancellationsAsOneLine();

        builder.Services.AddHealthChecks().AddCheck<ArtifactStoreHealthCheck>("artifact-store", tags: ["ready"]);
        // One file per service kind, so services started by hand on one machine do not overwrite each other's.
        var healthFile = builder.Configuration["Health:File"] ?? Path.Combine(Path.GetTempPath(), $"pruner-health-{builder.Environment.ApplicationName}");
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(2);
            o.Period = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddSingleton<IHealthCheckPublisher>(provider =>
            new HealthFilePublisher(healthFile, provider.GetRequiredService<ILogger<HealthFilePublisher>>()));

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithTracing(t =>
            {
                t.AddSource(PrunerTelemetry.MassTransitSource, PrunerTelemetry.SourceName);
                if (builder.Configuration.GetValue<bool>("Telemetry:Console"))
                {
                    t.AddConsoleExporter();
                }
            });
        return builder;
    }
}
