namespace PrunerPipeline.Training;
