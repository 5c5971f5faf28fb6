using PrunerPipeline.Hosting;
using PrunerPipeline.RolloutService;

// A rollout worker: start as many as the machine allows; they compete for shards on the same queue.
PrunerServiceHost.Run(args, services => services.AddRolloutService(), bus => bus.AddRolloutConsumers());
