using MassTransit;
using PrunerPipeline.Contracts;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>What the run saga remembers about one run; persisted as JSON (see Persistence/).</summary>
public sealed class PruningRunState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string RunId { get; set; } = "";
    /// <summary>The accepted settings (from <see cref="RunAccepted"/>): every command the saga issues carries what it needs of them.</summary>
    public StartPruningRun? Run { get; set; }
    /// <summary>The method pre-samples and scores (method registry, at acceptance).</summary>
    public bool Samples { get; set; }
    /// <summary>The method trains on the scored samples (method registry, at acceptance).</summary>
    public bool Trains { get; set; }
    /// <summary>The method samples from its own policy between updates (GRPO; method registry, at acceptance).</summary>
    public bool Online { get; set; }
    public string RunSpecBlob { get; set; } = "";
    /// <summary>The pre-sampling's sample set (its rollouts blobs are named after it); null when the method samples nothing.</summary>
    public string? SampleSetId { get; set; }
    public int ShardsTotal { get; set; }
    public int Problems { get; set; }
    /// <summary>Shard indices whose rollouts are stored (a set: redeliveries do not count twice).</summary>
    public List<int> SampledShards { get; set; } = [];
    /// <summary>Rewards blob per scored shard index.</summary>
    public Dictionary<int, string> ScoredShards { get; set; } = [];
    /// <summary>Training steps of the checkpoints published so far.</summary>
    public List<int> CheckpointSteps { get; set; } = [];
    /// <summary>The final checkpoint's blob prefix and step, once published (what a resumed run evaluates).</summary>
    public string? FinalCheckpoint { get; set; }
    public int FinalStep { get; set; }
    /// <summary>When the current stage last made progress (entered, a shard, a checkpoint): its deadline counts from here.</summary>
    public DateTimeOffset? LastProgressAt { get; set; }
    /// <summary>Deadline re-drives since the last progress; past the limit the run is Faulted.</summary>
    public int Redrives { get; set; }
    public string? ReportBlob { get; set; }
    public double? Accuracy { get; set; }
    public double? MeanLength { get; set; }
    public double? Aes { get; set; }
    /// <summary>Why the run was rejected, faulted or cancelled.</summary>
    public string? Reason { get; set; }
    /// <summary>
    /// Iterated runs: the round in progress (1 = this run's own stages; r ≥ 2 = the run {runId}.round{r}, which this saga
    /// started and follows in state NextRound).
    /// </summary>
    public int Round { get; set; } = 1;
    /// <summary>Iterated runs: every finished round's result, in order (round 1 = this run's own evaluation).</summary>
    public List<RoundResult> RoundResults { get; set; } = [];
    /// <summary>Completion tokens of every accepted shard, by shard index (the method's sampling cost; a redelivery counts once).</summary>
    public Dictionary<int, long> ShardTokens { get; set; } = [];
    /// <summary>Online runs: shards per policy update (update t's shards are (t−1)·ShardsPerStep … t·ShardsPerStep − 1).</summary>
    public int ShardsPerStep { get; set; }
    /// <summary>Online runs: the newest published policy version (checkpoint step; 0 = the base model).</summary>
    public int PolicyVersion { get; set; }
    /// <summary>Online runs: updates 1 … this one have had their shards commanded.</summary>
    public int UpdatesIssued { get; set; }
    /// <summary>Online runs: the update last commanded to the trainer (0 = none yet).</summary>
    public int TrainingUpdate { get; set; }
    /// <summary>Online runs: the policy version that sampled each accepted shard.</summary>
    public Dictionary<int, int> ShardVersions { get; set; } = [];
    /// <summary>Online runs: shards whose samples came from a policy too old (or not yet published) and were sampled again.</summary>
    public int StaleShardsDropped { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public bool AllSampled => ShardsTotal > 0 && SampledShards.Count >= ShardsTotal;

    public bool AllScored => ShardsTotal > 0 && ScoredShards.Count >= ShardsTotal;

    /// <summary>Online runs: the number of policy updates (shards total / shards per update).</summary>
    public int UpdatesTotal => ShardsPerStep > 0 ? ShardsTotal / ShardsPerStep : 0;
}
