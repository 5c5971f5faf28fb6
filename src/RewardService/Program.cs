using PrunerPipeline.Hosting;
using PrunerPipeline.RewardService;

// The reward service on its own: grades rollout shards and scores them with R_LH.
PrunerServiceHost.Run(args, services => services.AddRewardService(), bus => bus.AddRewardConsumers());
