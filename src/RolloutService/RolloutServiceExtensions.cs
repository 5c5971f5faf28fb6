using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PrunerPipeline.RolloutService;

public static class RolloutServiceExtensions
{
    /// <summary>The rollout worker's own dependencies: its options and the per-process reference-model cache.</summary>
    public static IServiceCollection AddRolloutService(this IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.Section);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RolloutOptions>>().Value);
        services.AddSingleton<ReferenceModelCache>();
        return services;
    }

    public static IBusRegistrationConfigurator AddRolloutConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<GenerateRolloutsConsumer, GenerateRolloutsConsumerDefinition>();
        return bus;
    }
}
