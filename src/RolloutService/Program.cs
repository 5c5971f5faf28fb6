using Microsoft.Extensions.Hosting;
using PrunerPipeline.Hosting;
using PrunerPipeline.RolloutService;

// A rollout worker: start as many as the machine allows; they compete for shards on the same queue.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRolloutService();
builder.AddPrunerDefaults(bus => bus.AddRolloutConsumers());
builder.Build().Run();
