using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PrunerPipeline.RolloutService;

public static class RolloutServiceExtensions
{
    /// <summary>
    /// The rollout worker's own dependencies: its options, the per-process reference-model cache and the sampler
    /// (TorchSharp, unless an <see cref="IRolloutSampler"/> was registered before).
    /// </summary>
    public static IServiceCollection AddRolloutService(this IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.Section);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RolloutOptions>>().Value);
        // One frozen copy of each model per process, shared with the evaluation service in embedded mode.
        services.TryAddSingleton<PrunerPipeline.Model.FrozenModelCache>();
        services.AddSingleton<ReferenceModelCache>();
        services.TryAddSingleton<PrunerPipeline.Model.Memory.ModelWorkGate>();
        services.TryAddSingleton<IRolloutSampler, CausalLmRolloutSampler>();
        return services;
    }

    public static IBusRegistrationConfigurator AddRolloutConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<GenerateRolloutsConsumer, GenerateRolloutsConsumerDefinition>();
        return bus;
    }
}
