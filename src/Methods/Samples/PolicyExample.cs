namespace PrunerPipeline.Training.Samples;

/// <summary>A sample paired with the advantage Â it is trained with (the prepared reward, before any per-batch normalisation).</summary>
public sealed record PolicyExample(TrainingSample Sample, double Advantage);
