namespace PrunerPipeline.Orchestrator.Deadlines;

/// <summary>
/// Configuration section <c>Orchestrator:Deadlines</c>: how long a stage may go without progress before its outstanding
/// commands are issued again, and how many such re-drives a run gets before it is Faulted naming what it waited for.
/// "Progress" is any event of the stage the saga accepts (a shard sampled or scored, a checkpoint, an evaluation).
/// </summary>
public sealed class RunDeadlineOptions
{
    public const string Section = "Orchestrator:Deadlines";

    /// <summary>Sampling deadline = this + the largest shard's token budget (problems × K × maxNewTokens) / <see cref="SamplingMinTokensPerSecond"/>.</summary>
    public double SamplingBaseSeconds { get; set; } = 300;

    /// <summary>The slowest sampling rate still counted as progressing (tokens per second for one worker on one shard).</summary>
    public double SamplingMinTokensPerSecond { get; set; } = 20;

    /// <summary>Scoring a shard is grading text: minutes at most.</summary>
    public double ScoringSeconds { get; set; } = 600;

    /// <summary>Between two checkpoints (or from TrainPolicy to the first one).</summary>
    public double TrainingSeconds { get; set; } = 4 * 3600;

    /// <summary>From EvaluateCheckpoint of the final model to its report.</summary>
    public double EvaluatingSeconds { get; set; } = 2 * 3600;

    /// <summary>Re-drives without progress before the run is Faulted (start-up re-drives do not count).</summary>
    public int MaxRedrives { get; set; } = 2;

    /// <summary>How often the orchestrator looks for runs past their deadline.</summary>
    public double CheckIntervalSeconds { get; set; } = 30;

    /// <summary>Re-issue every unfinished run's outstanding commands when the orchestrator starts.</summary>
    public bool RedriveOnStartup { get; set; } = true;

    /// <summary>Names the bad setting, or null when all are usable.</summary>
    public string? Problem()
    {
        if (!(SamplingBaseSeconds > 0) || !(SamplingMinTokensPerSecond > 0) || !(ScoringSeconds > 0) || !(TrainingSeconds > 0) || !(EvaluatingSeconds > 0) || !(CheckIntervalSeconds > 0))
        {
            return $"{Section}: every *Seconds and SamplingMinTokensPerSecond must be a positive number";
        }
        return MaxRedrives < 0 ? $"{Section}:MaxRedrives: must be 0 or more" : null;
    }
}
