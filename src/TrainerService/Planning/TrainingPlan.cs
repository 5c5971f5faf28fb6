using PrunerPipeline.Contracts;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Training.Loop;
using PrunerPipeline.Training.Methods;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.TrainerService.Planning;

/// <summary>Turns a run's settings, the trainer's configuration and the scored samples into trainer options and the method's recipe.</summary>
public sealed record TrainingPlan(TrainerOptions Options, ITrainingRecipe Recipe)
{
    public static TrainingPlan Create(StartPruningRun run, TrainerSettings settings, IReadOnlyList<ScoredSample> scored, MethodRegistry? methods = null)
    {
        var method = (methods ?? MethodRegistry.Default)[run.Method];
        if (!method.Trains)
        {
            throw new ArgumentException($"Method {run.Method} ({method.Name}) needs no training; TrainPolicy is for methods that train", nameof(run));
        }
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
            // Null: the trainer decides from the model and the sequences (PolicyTrainer.UsesGradientCheckpointing).
            GradientCheckpointing = run.GradientCheckpointing,
        };
        return new TrainingPlan(options, method.CreateRecipe(scored.Select(ToTrainingSample).ToArray(), run, settings, new TrainingRecipes(method.Key)));
    }

    public static TrainingSample ToTrainingSample(ScoredSample s) =>
        new(s.ProblemId, s.SampleIndex, s.PromptTokenIds, s.TokenIds, s.RefLogProbs, s.Correct, s.Reward, s.Length, s.KlRefLogProbs);
}
