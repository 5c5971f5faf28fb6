using Microsoft.Extensions.Hosting;
using PrunerPipeline.Hosting;
using PrunerPipeline.TrainerService;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddTrainerService();
builder.AddPrunerDefaults(bus => bus.AddTrainerConsumers());
builder.Build().Run();
