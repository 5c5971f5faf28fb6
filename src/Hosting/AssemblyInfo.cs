namespace PrunerPipeline.Hosting;
