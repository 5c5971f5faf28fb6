using Microsoft.Extensions.Hosting;
using PrunerPipeline.Hosting;
using PrunerPipeline.Orchestrator;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddOrchestrator();
builder.AddPrunerDefaults(bus => bus.AddOrchestratorConsumers());
builder.Build().Run();
