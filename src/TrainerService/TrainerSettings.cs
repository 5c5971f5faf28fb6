using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.TrainerService;

/// <summary>
/// Configuration section <c>Trainer</c>: what a run's <c>StartPruningRun</c> does not say (where to work, the device,
/// the optimiser's settings, and the objective's finer ones inherited from <see cref="RecipeSettings"/>). The run's own fields (method, ε, ratio granularity, epochs, learning
/// rate, batch size, samples per problem, seed) always win.
/// </summary>
public sealed class TrainerSettings : RecipeSettings
{
    public const string Section = "Trainer";

    /// <summary>Local folder for the runs' checkpoints while training (default: the temp folder).</summary>
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "pruner-trainer");

    public string Device { get; set; } = "cpu";

    /// <summary>CPU threads for TorchSharp; 0 = leave the library default.</summary>
    public int Threads { get; set; }

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
