using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>The DPO baseline on (shortest correct, longest correct) pairs (<see cref="DpoPairSelection"/>).</summary>
public sealed class DpoRecipe : ITrainingRecipe
{
    private readonly IReadOnlyList<PreferencePair> pairs;
    private readonly DpoObjective objective;

    public DpoRecipe(IReadOnlyList<PreferencePair> pairs, DpoObjective objective)
    {
        foreach (var pair in pairs)
        {
            pair.Chosen.Validate();
            pair.Rejected.Validate();
        }
        this.pairs = pairs;
        this.objective = objective;
    }

    public string Name { get; init; } = PruningMethod.Dpo.Key;

    public int Count => pairs.Count;

    public IReadOnlyList<TrainingSample> SequencesOf(int index) => [pairs[index].Chosen, pairs[index].Rejected];

    public void BeginStep(IReadOnlyList<int> stepExamples)
    {
    }

    public MicroBatchResult Forward(ITrainablePolicy policy, IReadOnlyList<int> microBatch, StepTotals step)
    {
        using var scope = NewDisposeScope();
        var n = microBatch.Count;
        // Chosen rows first, then rejected rows: one forward pass for both halves.
        var sequences = microBatch.Select(i => pairs[i].Chosen).Concat(microBatch.Select(i => pairs[i].Rejected)).ToArray();
        var (logProbs, mask) = RecipeTensors.PolicyLogProbs(policy, sequences);
        var sums = DpoObjective.SequenceLogProbs(logProbs, mask);                  // (2B)
        var reference = tensor(sequences.Select(s => (float)s.RefLogProbs.Sum(p => (double)p)).ToArray()).to(policy.Device);
        var (losses, chosenRewards, rejectedRewards) = objective.Terms(
            sums[..n], sums[n..], reference[..n], reference[n..]);
        var preferred = (int)(chosenRewards > rejectedRewards).sum().item<long>();
        var loss = losses.sum() / step.Examples;
        return new MicroBatchResult(loss.MoveToOuterDisposeScope(), 0, 0, 0, preferred);
    }
}
