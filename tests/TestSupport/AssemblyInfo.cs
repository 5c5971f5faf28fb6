namespace PrunerPipeline.TestSupport;
