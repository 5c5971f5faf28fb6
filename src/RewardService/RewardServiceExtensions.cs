using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace PrunerPipeline.RewardService;

public static class RewardServiceExtensions
{
    /// <summary>The reward service's own dependencies (the bus, store and logging come from <c>AddPrunerDefaults</c>).</summary>
    public static IServiceCollection AddRewardService(this IServiceCollection services) => services;

    public static IBusRegistrationConfigurator AddRewardConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ScoreRolloutsConsumer, ScoreRolloutsConsumerDefinition>();
        return bus;
    }
}
