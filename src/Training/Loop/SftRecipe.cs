using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>The SFT baseline: maximum likelihood on the two shortest correct samples per problem (<see cref="SftSelection"/>).</summary>
public sealed class SftRecipe : ITrainingRecipe
{
    private readonly IReadOnlyList<TrainingSample> samples;

    public SftRecipe(IReadOnlyList<TrainingSample> samples)
    {
        foreach (var sample in samples)
        {
            sample.Validate();
        }
        this.samples = samples;
    }

    public string Name { get; init; } = PruningMethod.Sft.Key;

    public int Count => samples.Count;

    public IReadOnlyList<TrainingSample> SequencesOf(int index) => [samples[index]];

    public void BeginStep(IReadOnlyList<int> stepExamples)
    {
    }

    public MicroBatchResult Forward(ITrainablePolicy policy, IReadOnlyList<int> microBatch, StepTotals step)
    {
        using var scope = NewDisposeScope();
        var batch = microBatch.Select(i => samples[i]).ToArray();
        var (logProbs, mask) = RecipeTensors.PolicyLogProbs(policy, batch);
        var loss = SftObjective.NegativeLogLikelihoodSum(logProbs, mask).sum() / step.CompletionTokens;
        return new MicroBatchResult(loss.MoveToOuterDisposeScope(), 0, 0, 0, 0);
    }
}
