using PrunerPipeline.Hosting;
using PrunerPipeline.Orchestrator;

PrunerServiceHost.Run(args, services => services.AddOrchestrator(), bus => bus.AddOrchestratorConsumers());
