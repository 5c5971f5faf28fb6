using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Orchestrator.Consumers;
using PrunerPipeline.Orchestrator.Deadlines;
using PrunerPipeline.Orchestrator.Persistence;
using PrunerPipeline.Orchestrator.Problems;
using PrunerPipeline.Orchestrator.Saga;
using PrunerPipeline.Orchestrator.Validation;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Orchestrator;

public static class OrchestratorExtensions
{
    /// <summary>
    /// The orchestrator's own dependencies: the method registry (unless one is registered first), validation and the run-state documents (blob storage with ETags when the
    /// artifact store is Azure, so runs survive an orchestrator restart; process memory otherwise).
    /// Stage deadlines (<c>Orchestrator:Deadlines</c>, <see cref="RunDeadlineOptions"/>) and the monitor that re-drives unfinished runs.
    /// Training problems come from the dataset catalog unless another <see cref="IProblemSource"/> is registered first (tests).
    /// </summary>
    public static IServiceCollection AddOrchestrator(this IServiceCollection services)
    {
        services.TryAddSingleton<IProblemSource, DatasetCatalogProblemSource>();
        services.TryAddSingleton(MethodRegistry.Default);
        services.TryAddSingleton<RunValidator>();
        services.AddOptions<RunDeadlineOptions>().BindConfiguration(RunDeadlineOptions.Section);
        services.TryAddSingleton<StageCommands>();
        services.TryAddSingleton<StalledRuns>();
        services.AddHostedService<StalledRunMonitor>();
        services.TryAddSingleton<IRunStateDocuments>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value;
            return string.Equals(options.Provider, "azure", StringComparison.OrdinalIgnoreCase)
                ? new AzureBlobRunStateDocuments(new Azure.Storage.Blobs.BlobContainerClient(options.ConnectionString, options.Container))
                : new InMemoryRunStateDocuments();
        });
        return services;
    }

    /// <summary>The <c>start-pruning-run</c> consumer and the run saga on <c>pruning-run</c>.</summary>
    public static IBusRegistrationConfigurator AddOrchestratorConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<StartPruningRunConsumer, StartPruningRunConsumerDefinition>();
        bus.AddSagaStateMachine<PruningRunStateMachine, PruningRunState, PruningRunStateDefinition>()
            .Repository(r =>
            {
                r.RegisterSagaRepository<PruningRunState, IRunStateDocuments, SagaConsumeContextFactory<IRunStateDocuments, PruningRunState>,
                    DocumentSagaRepositoryContextFactory<PruningRunState>>();
                r.RegisterLoadSagaRepository<PruningRunState, DocumentSagaRepositoryContextFactory<PruningRunState>>();
            });
        bus.TryAddScoped<PublishShardsActivity>();
        return bus;
    }
}
