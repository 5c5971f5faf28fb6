using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>Length-Harmonizing Fine-Tuning: PPO-clip on the prepared R_LH advantages (DESIGN.md §1.3).</summary>
public sealed class O1PrunerRecipe : ITrainingRecipe
{
    private readonly IReadOnlyList<PolicyExample> examples;
    private readonly PpoClipObjective objective;
    private readonly Dictionary<int, double> stepAdvantages = [];

    public O1PrunerRecipe(IReadOnlyList<PolicyExample> examples, PpoClipObjective objective)
    {
        foreach (var example in examples)
        {
            example.Sample.Validate();
            if (objective.Options.KlPenalty == KlPenalty.RecordedReference)
            {
                example.Sample.RequireKlRefLogProbs();
            }
        }
        this.examples = examples;
        this.objective = objective;
    }

    public string Name { get; init; } = PruningMethod.O1Pruner.Key;

    public int Count => examples.Count;

    public IReadOnlyList<TrainingSample> SequencesOf(int index) => [examples[index].Sample];

    /// <summary>Example <paramref name="index"/>'s advantage as prepared for the whole set (before any per-batch normalisation).</summary>
    public double AdvantageOf(int index) => examples[index].Advantage;

    public bool NormalisesPerBatch => objective.Options.NormaliseAdvantagesPerBatch;

    public void BeginStep(IReadOnlyList<int> stepExamples)
    {
        stepAdvantages.Clear();
        var raw = stepExamples.Select(i => examples[i].Advantage).ToArray();
        var advantages = objective.Options.NormaliseAdvantagesPerBatch ? PpoClipObjective.NormaliseAdvantageValues(raw) : raw;
        for (var i = 0; i < stepExamples.Count; i++)
        {
            stepAdvantages[stepExamples[i]] = advantages[i];
        }
    }

    public MicroBatchResult Forward(ITrainablePolicy policy, IReadOnlyList<int> microBatch, StepTotals step)
    {
        using var scope = NewDisposeScope();
        var samples = microBatch.Select(i => examples[i].Sample).ToArray();
        var (logProbs, mask) = RecipeTensors.PolicyLogProbs(policy, samples);          // (B, T)
        var reference = RecipeTensors.ReferenceLogProbs(samples, logProbs.shape[1], policy.Device);
        var advantages = tensor(microBatch.Select(i => (float)stepAdvantages[i]).ToArray()).to(policy.Device); // (B)
        using var klReference = objective.Options.KlPenalty == KlPenalty.RecordedReference
            ? RecipeTensors.KlReferenceLogProbs(samples, logProbs.shape[1], policy.Device)
            : null;
        using var terms = objective.Terms(logProbs, reference, mask, advantages, klReference);
        var loss = terms.Aggregate(objective.Options.Aggregation, step.Sequences, step.CompletionTokens);
        return new MicroBatchResult(loss.MoveToOuterDisposeScope(), terms.Clipped, terms.RatioCount, terms.KlSum, 0);
    }
}
