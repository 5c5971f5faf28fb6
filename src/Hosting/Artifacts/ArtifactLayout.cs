namespace PrunerPipeline.Hosting.Artifacts;

/// <summary>
/// Every blob name of the pipeline, spelled once (docs/ARCHITECTURE.md "Layout"). Names are deterministic per run,
/// shard and step, so a redelivered message rewrites the same blob and never duplicates one.
/// </summary>
public static class ArtifactLayout
{
    /// <summary>The built-in reference model (Hugging Face layout).</summary>
    public const string BuiltinModel = "models/builtin";

    /// <summary>Run-saga documents in distributed mode: <c>sagas/pruning-run/{correlationId:N}.json</c>.</summary>
    public const string SagaDocuments = "sagas/pruning-run/";

    public static string Run(string runId) => $"runs/{runId}";

    /// <summary>The accepted <c>StartPruningRun</c>: the record of the run, written last on acceptance (its presence means the run exists).</summary>
    public static string RunSpec(string runId) => $"{Run(runId)}/run.json";

    /// <summary>The orchestrator's shard plan: which training problems each shard holds.</summary>
    public static string ShardPlan(string runId) => $"{Run(runId)}/shards.json";

    /// <summary>An iterated run's every round (written when the last one is evaluated).</summary>
    public static string Rounds(string runId) => $"{Run(runId)}/rounds.json";

    /// <summary>A shard's pre-sampled rollouts, shared by the runs of one sample set.</summary>
    public static string Rollouts(string sampleSetId, int shardIndex) => $"samples/{sampleSetId}/rollouts/shard-{shardIndex:D4}.jsonl";

    /// <summary>A shard's scored samples.</summary>
    public static string Rewards(string runId, int shardIndex) => $"{Run(runId)}/rewards/shard-{shardIndex:D4}.jsonl";

    public static string Checkpoints(string runId) => $"{Run(runId)}/checkpoints";

    /// <summary>The folder name of training step <paramref name="step"/> (the trainer's local folders use the same, TrainingCheckpoint.FolderName).</summary>
    public static string StepFolder(int step) => $"step-{step:D6}";

    public static string Checkpoint(string runId, int step) => $"{Checkpoints(runId)}/{StepFolder(step)}";

    /// <summary>A checkpoint's training state, uploaded last: its presence means the checkpoint is complete (Training's TrainerState.FileName).</summary>
    public static string CheckpointState(string checkpointPrefix) => $"{checkpointPrefix.TrimEnd('/')}/trainer_state.json";

    /// <summary>The trainer's curve up to a checkpoint (docs/training.md).</summary>
    public static string TrainingMetrics(string checkpointPrefix) => $"{checkpointPrefix.TrimEnd('/')}/metrics.jsonl";

    public static string EvalFolder(string runId, int step) => $"{Run(runId)}/eval/{StepFolder(step)}";

    /// <summary>Written last: its presence means the checkpoint's evaluation is complete.</summary>
    public static string Report(string runId, int step) => $"{EvalFolder(runId, step)}/report.json";

    /// <summary>A cached evaluation of one model on one evaluation set (the reference is evaluated once).</summary>
    public static string CachedEvaluation(string evalKey) => $"evals/{evalKey}/evaluation.json";
}
