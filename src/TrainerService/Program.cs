using PrunerPipeline.Hosting;
using PrunerPipeline.TrainerService;

PrunerServiceHost.Run(args, services => services.AddTrainerService(), bus => bus.AddTrainerConsumers());
