using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrunerPipeline.EvalService.Consumers;
using PrunerPipeline.EvalService.Evaluation;

namespace PrunerPipeline.EvalService;

public static class EvalServiceExtensions
{
    /// <summary>The evaluation service's own dependencies (bus, store, ModelLocator and logging come from <c>AddPrunerDefaults</c>).</summary>
    public static IServiceCollection AddEvalService(this IServiceCollection services)
    {
        services.AddOptions<EvalOptions>().BindConfiguration(EvalOptions.Section);
        services.TryAddSingleton<ISolutionGenerator, CausalLmSolutionGenerator>();
        services.TryAddSingleton<ModelEvaluator>();
        return services;
    }

    public static IBusRegistrationConfigurator AddEvalConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CheckpointPublishedConsumer, CheckpointPublishedConsumerDefinition>();
        return bus;
    }
}
