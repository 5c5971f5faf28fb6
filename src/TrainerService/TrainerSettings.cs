using PrunerPipeline.Training.Objectives;

namespace PrunerPipeline.TrainerService;

/// <summary>
/// Configuration section <c>Trainer</c>: what a run's <c>StartPruningRun</c> does not say (where to work, the device,
/// the optimiser's and objective's finer settings). The run's own fields (method, ε, ratio granularity, epochs, learning
/// rate, batch size, samples per problem, seed) always win.
/// </summary>
public sealed class TrainerSettings
{
    public const string Section = "Trainer";

    /// <summary>Local folder for the runs' checkpoints while training (default: the temp folder).</summary>
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "pruner-trainer");

    public string Device { get; set; } = "cpu";

    /// <summary>CPU threads for TorchSharp; 0 = leave the library default.</summary>
    public int Threads { get; set; }

    /// <summary>Clip the raw reward to [RewardClipMin, RewardClipMax] before it becomes the advantage (the authors' code: −2, 4); null = no clip. Whether it is then standardised is the run's <c>advantage</c>.</summary>
    public double? RewardClipMin { get; set; } = -2;

    public double? RewardClipMax { get; set; } = 4;

    public LossAggregation Aggregation { get; set; } = LossAggregation.SequenceMean;

    public double KlCoefficient { get; set; }

    public double EntropyCoefficient { get; set; }

    public double DpoBeta { get; set; } = 0.1;

    public double WarmupRatio { get; set; } = 0.1;

    public double MinLearningRateRatio { get; set; } = 0.1;

    public double WeightDecay { get; set; }

    public double MaxGradNorm { get; set; } = 1.0;

    public int MaxTokensPerMicroBatch { get; set; } = 4096;

    public bool FreezeEmbeddings { get; set; }

    public int FreezeFirstLayers { get; set; }

    /// <summary>Checkpoint every N optimizer steps besides each epoch end; 0 = per epoch only.</summary>
    public int CheckpointEverySteps { get; set; }

    /// <summary>Publish <c>StageProgress</c> at most this often (the last step is always reported).</summary>
    public double ProgressIntervalSeconds { get; set; } = 2;
}
