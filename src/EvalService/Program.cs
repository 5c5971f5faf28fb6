using Microsoft.Extensions.Hosting;
using PrunerPipeline.EvalService;
using PrunerPipeline.Hosting;

// The evaluation service on its own: evaluates published checkpoints against the reference model and writes reports.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddEvalService();
builder.AddPrunerDefaults(bus => bus.AddEvalConsumers());
builder.Build().Run();
