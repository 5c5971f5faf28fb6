namespace PrunerPipeline.Training.Checkpoints;

/// <summary>
/// <c>trainer_state.json</c> beside the weights of a checkpoint: where training stood and what it needs to continue
/// bit-identically. It is written last, so its presence marks a complete checkpoint. Randomness is a pure function of
/// the seed and the step (data order: a shuffle per epoch seeded by seed and epoch; torch generator reseeded with
/// seed + step before each step), so seed and step are the whole RNG state.
/// </summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Epoch">1-based epoch the last completed step belongs to.</param>
/// <param name="EpochProgress">Epochs completed as a fraction (Hugging Face's <c>epoch</c>).</param>
/// <param name="DataFingerprint">Hash of the training examples (ids, indices, lengths): a resume on different data is refused.</param>
public sealed record TrainerState(
    int Step, int TotalSteps, int StepsPerEpoch, int Epoch, double EpochProgress, string Method, int Seed, int Examples,
    string DataFingerprint, string OptimizerFile, long OptimizerStepCount, string DataOrder, string Rng)
{
    public const string FileName = "trainer_state.json";
}
