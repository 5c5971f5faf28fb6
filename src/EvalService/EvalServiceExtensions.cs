using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrunerPipeline.EvalService.Consumers;
using PrunerPipeline.EvalService.Evaluation;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.EvalService;

public static class EvalServiceExtensions
{
    /// <summary>The evaluation service's own dependencies (bus, store, ModelLocator and logging come from <c>AddPrunerDefaults</c>).</summary>
    public static IServiceCollection AddEvalService(this IServiceCollection services)
    {
        services.AddOptions<EvalOptions>().BindConfiguration(EvalOptions.Section);
        // One frozen copy of each model per process, shared with the rollout service in embedded mode.
        services.TryAddSingleton<PrunerPipeline.Model.FrozenModelCache>();
        services.TryAddSingleton<ISolutionGenerator, CausalLmSolutionGenerator>();
        services.TryAddSingleton<ModelEvaluator>();
        services.TryAddSingleton<PrunerPipeline.Model.Memory.ModelWorkGate>();
        services.TryAddSingleton(MethodRegistry.Default);
        services.TryAddSingleton<CheckpointEvaluator>();
        return services;
    }

    public static IBusRegistrationConfigurator AddEvalConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EvaluateCheckpointConsumer, EvaluateCheckpointConsumerDefinition>();
        return bus;
    }
}
