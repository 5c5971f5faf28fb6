using Microsoft.Extensions.Hosting;
using PrunerPipeline.Hosting;
using PrunerPipeline.RewardService;

// The reward service on its own: grades rollout shards and scores them with R_LH.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRewardService();
builder.AddPrunerDefaults(bus => bus.AddRewardConsumers());
builder.Build().Run();
