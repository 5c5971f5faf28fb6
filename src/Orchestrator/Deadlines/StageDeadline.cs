using PrunerPipeline.Contracts;
using PrunerPipeline.Orchestrator.Saga;

namespace PrunerPipeline.Orchestrator.Deadlines;

/// <summary>The deadline of a run's current stage, and what the stage still waits for (for re-drive and fault messages).</summary>
public static class StageDeadline
{
    /// <summary>How long the current stage may go without progress; null for a state that has no deadline (final, not started).</summary>
    public static TimeSpan? Of(PruningRunState saga, RunDeadlineOptions options) => saga.CurrentState switch
    {
        "Sampling" => TimeSpan.FromSeconds(options.SamplingBaseSeconds + ShardTokenBudget(saga) / options.SamplingMinTokensPerSecond),
        "Scoring" => TimeSpan.FromSeconds(options.ScoringSeconds),
        "Training" => TimeSpan.FromSeconds(options.TrainingSeconds),
        // An online update samples its shards (in parallel on the workers) and takes one training step.
        "Online" => TimeSpan.FromSeconds(options.SamplingBaseSeconds + ShardTokenBudget(saga) / options.SamplingMinTokensPerSecond + options.TrainingSeconds),
        "Evaluating" => TimeSpan.FromSeconds(options.EvaluatingSeconds),
        _ => null,
    };

    /// <summary>True when the stage has had no progress for longer than its deadline at <paramref name="now"/>.</summary>
    public static bool IsPast(PruningRunState saga, RunDeadlineOptions options, DateTimeOffset now) =>
        Of(saga, options) is { } deadline && now - (saga.LastProgressAt ?? saga.AcceptedAt ?? now) > deadline;

    /// <summary>Tokens one shard may generate: its problems × K × maxNewTokens (the largest shard).</summary>
    public static double ShardTokenBudget(PruningRunState saga) =>
        saga.Run is { } run ? (double)Math.Min(run.ShardSize, Math.Max(saga.Problems, 1)) * run.SamplesPerProblem * run.MaxNewTokens : 0;

    /// <summary>The stage's name in messages ("sampling") and what it still waits for ("3 of 8 shards not reported").</summary>
    public static (string Stage, string Waiting) Waiting(PruningRunState saga) => saga.CurrentState switch
    {
        "Sampling" => ("sampling", $"{saga.ShardsTotal - saga.SampledShards.Count} of {saga.ShardsTotal} shards not reported"),
        "Scoring" => ("scoring", $"{saga.ShardsTotal - saga.ScoredShards.Count} of {saga.ShardsTotal} shards not scored"),
        "Training" => ("training", saga.CheckpointSteps.Count == 0 ? "no checkpoint published" : $"no final checkpoint (last step {saga.CheckpointSteps[^1]})"),
        "Online" => ("online", OnlineUpdates.Waiting(saga)),
        "Evaluating" => ("evaluating", "the final evaluation not reported"),
        "NextRound" => ($"round {saga.Round}", $"run {RoundRuns.RunId(saga.RunId, saga.Round)} not finished"),
        _ => (saga.CurrentState.ToLowerInvariant(), "nothing"),
    };
}
