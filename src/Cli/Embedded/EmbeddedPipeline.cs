using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.EvalService;
using PrunerPipeline.Hosting;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.Orchestrator;
using PrunerPipeline.RewardService;
using PrunerPipeline.RolloutService;
using PrunerPipeline.TrainerService;

namespace PrunerPipeline.Cli.Embedded;

/// <summary>
/// The embedded default: one host, every service, the in-memory bus and a folder as the artifact store.
/// Used by <c>pruner demo</c> and <c>pruner run --bus inmemory</c>. Each service adds its one line here as it lands.
/// </summary>
public static class EmbeddedPipeline
{
    /// <param name="storeRoot">Artifact-store folder (runs/, samples/, models/ go below it).</param>
    /// <param name="settings">Extra configuration (e.g. "Logging:LogLevel:Default" = "Information"); wins over the environment.</param>
    /// <param name="configureServices">Last-minute registrations (a test's fakes, the demo's options).</param>
    public static IHost Build(string storeRoot, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = CreateBuilder(storeRoot, settings);
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        // Several pipelines one after another in one process (the demo's methods) must not log through a disposed one.
        BusLogContextBinding.BindTo(host.Services);
        return host;
    }

    public static HostApplicationBuilder CreateBuilder(string storeRoot, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "pruner" });
        var configuration = new Dictionary<string, string?>
        {
            // Embedded means embedded, whatever Bus__*/Artifacts__* the shell exports for distributed mode.
            ["Bus:Transport"] = "inmemory",
            ["Artifacts:Provider"] = "filesystem",
            ["Artifacts:Root"] = storeRoot,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:PrunerPipeline"] = "Information",
            // Retries are reported by the run's own events; MassTransit's per-attempt warnings would drown them.
            ["Logging:LogLevel:MassTransit"] = "Error",
            // A command stops when told (SIGINT, SIGTERM, --timeout): consumers get 1 s, then their tokens are cancelled.
            ["Bus:ShutdownTimeoutSeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();

        builder.Services.AddOrchestrator();
        builder.Services.AddRolloutService();
        builder.Services.AddRewardService();
        builder.Services.AddTrainerService();
        builder.Services.AddEvalService();
        builder.AddPrunerDefaults(bus =>
        {
            bus.AddOrchestratorConsumers();
            bus.AddRolloutConsumers();
            bus.AddRewardConsumers();
            bus.AddTrainerConsumers();
            bus.AddEvalConsumers();
        });
        return builder;
    }
}
