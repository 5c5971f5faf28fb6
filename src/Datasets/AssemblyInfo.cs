namespace PrunerPipeline.Datasets;
