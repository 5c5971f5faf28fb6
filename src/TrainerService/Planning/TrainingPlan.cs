using PrunerPipeline.Contracts;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Training.Loop;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.TrainerService.Planning;

/// <summary>Turns a run's settings, the trainer's configuration and the scored samples into trainer options and a recipe.</summary>
public sealed record TrainingPlan(TrainerOptions Options, ITrainingRecipe Recipe)
{
    public static TrainingPlan Create(StartPruningRun run, TrainerSettings settings, IReadOnlyList<ScoredSample> scored)
    {
        var samples = scored.Select(ToTrainingSample).ToArray();
        var advantage = ParseAdvantage(run.Advantage);
        var options = new TrainerOptions
        {
            Epochs = run.Epochs,
            BatchSize = run.BatchSize,
            LearningRate = run.LearningRate,
            Seed = run.Seed,
            WarmupRatio = settings.WarmupRatio,
            MinLearningRateRatio = settings.MinLearningRateRatio,
            WeightDecay = settings.WeightDecay,
            MaxGradNorm = settings.MaxGradNorm,
            MaxTokensPerMicroBatch = settings.MaxTokensPerMicroBatch,
            FreezeEmbeddings = settings.FreezeEmbeddings,
            FreezeFirstLayers = settings.FreezeFirstLayers,
            CheckpointEverySteps = settings.CheckpointEverySteps,
        };
        ITrainingRecipe recipe = run.Method switch
        {
            PruningMethod.O1Pruner => new O1PrunerRecipe(
                RewardPreparation.Prepare(samples, new RewardPreparationOptions
                {
                    SamplesPerProblem = run.TrainingSamplesPerProblem,
                    ClipMin = settings.RewardClipMin,
                    ClipMax = settings.RewardClipMax,
                    Standardise = advantage == AdvantageMode.Standardised,
                    Seed = run.Seed,
                }),
                new PpoClipObjective(new PpoClipOptions
                {
                    ClipEpsilon = run.ClipEpsilon,
                    Granularity = ParseGranularity(run.RatioGranularity),
                    Aggregation = settings.Aggregation,
                    NormaliseAdvantagesPerBatch = advantage == AdvantageMode.Batch,
                    KlCoefficient = settings.KlCoefficient,
                    EntropyCoefficient = settings.EntropyCoefficient,
                })),
            PruningMethod.Sft => new SftRecipe(SftSelection.Select(samples)),
            PruningMethod.Dpo => new DpoRecipe(DpoPairSelection.Select(samples), new DpoObjective(settings.DpoBeta)),
            _ => throw new ArgumentException($"Method {run.Method} needs no training; allowed for TrainPolicy: O1Pruner, Sft, Dpo", nameof(run)),
        };
        return new TrainingPlan(options, recipe);
    }

    public static RatioGranularity ParseGranularity(string value) => value.ToLowerInvariant() switch
    {
        "token" => RatioGranularity.Token,
        "sequence" => RatioGranularity.Sequence,
        _ => throw new ArgumentException($"ratioGranularity '{value}' is not supported; allowed: token, sequence", nameof(value)),
    };

    public static AdvantageMode ParseAdvantage(string value) => value switch
    {
        "raw" => AdvantageMode.Raw,
        "standardised" => AdvantageMode.Standardised,
        "batch" => AdvantageMode.Batch,
        _ => throw new ArgumentException($"advantage '{value}' is not supported; allowed: raw, standardised, batch", nameof(value)),
    };

    public static TrainingSample ToTrainingSample(ScoredSample s) =>
        new(s.ProblemId, s.SampleIndex, s.PromptTokenIds, s.TokenIds, s.RefLogProbs, s.Correct, s.Reward, s.Length);
}
