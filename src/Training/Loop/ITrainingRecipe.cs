using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Loop;

/// <summary>
/// A training method's data and loss (O1-Pruner, SFT, DPO): the trainer owns order, batching, optimisation and
/// checkpoints; the recipe turns a micro-batch of its examples into a loss.
/// </summary>
public interface ITrainingRecipe
{
    /// <summary>The method key (<c>PruningMethod.Key</c>: "o1pruner", "sft", "dpo"), recorded in trainer_state.json.</summary>
    string Name { get; }

    int Count { get; }

    /// <summary>The completion sequences of example <paramref name="index"/> (one, or two for a DPO pair).</summary>
    IReadOnlyList<TrainingSample> SequencesOf(int index);

    /// <summary>Called once per optimizer step before its micro-batches (per-batch advantage normalisation lives here).</summary>
    void BeginStep(IReadOnlyList<int> stepExamples);

    MicroBatchResult Forward(ITrainablePolicy policy, IReadOnlyList<int> microBatch, StepTotals step);
}
