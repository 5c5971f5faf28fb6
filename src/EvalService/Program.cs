using PrunerPipeline.EvalService;
using PrunerPipeline.Hosting;

// The evaluation service on its own: evaluates published checkpoints against the reference model and writes reports.
PrunerServiceHost.Run(args, services => services.AddEvalService(), bus => bus.AddEvalConsumers());
