using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrunerPipeline.TrainerService.Consumers;
using PrunerPipeline.TrainerService.Jobs;
using PrunerPipeline.TrainerService.Policies;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.TrainerService;

public static class TrainerServiceExtensions
{
    /// <summary>The trainer's own dependencies: settings (section <c>Trainer</c>), the method registry (unless one is registered first), the job registry, the job, the policy loader and the process's frozen-model cache.</summary>
    public static IServiceCollection AddTrainerService(this IServiceCollection services)
    {
        services.AddOptions<TrainerSettings>().BindConfiguration(TrainerSettings.Section);
        services.TryAddSingleton(MethodRegistry.Default);
        services.TryAddSingleton<TrainingJobs>();
        services.TryAddSingleton<PrunerPipeline.Model.Memory.ModelWorkGate>();
        // Shared with rollouts and evaluation in one process; the trainer only empties it of idle models before loading its policy.
        services.TryAddSingleton<PrunerPipeline.Model.FrozenModelCache>();
        services.TryAddSingleton<IPolicyLoader, CausalLmPolicyLoader>();
        services.TryAddScoped<PolicyTrainingJob>();
        return services;
    }

    /// <summary><c>train-policy</c> and the per-instance <c>cancel-training</c> endpoint.</summary>
    public static IBusRegistrationConfigurator AddTrainerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TrainPolicyConsumer, TrainPolicyConsumerDefinition>();
        bus.AddConsumer<CancelTrainingConsumer, CancelTrainingConsumerDefinition>();
        return bus;
    }
}
