namespace PrunerPipeline.Training.Samples;

/// <summary>A DPO pair on one problem: the chosen (shortest correct) and rejected (longest correct) completion.</summary>
public sealed record PreferencePair(TrainingSample Chosen, TrainingSample Rejected);
