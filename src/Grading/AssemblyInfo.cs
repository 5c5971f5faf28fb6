namespace PrunerPipeline.Grading;
