namespace PrunerPipeline.EvalService;

/// <summary>Blob names the evaluation service reads and writes (docs/ARCHITECTURE.md, "Layout").</summary>
public static class EvalBlobs
{
    public static string RunSpec(string runId) => $"runs/{runId}/run.json";

    public static string EvalFolder(string runId, int step) => $"runs/{runId}/eval/step-{step:D6}";

    /// <summary>Written last: its presence means the checkpoint's evaluation is complete.</summary>
    public static string Report(string runId, int step) => $"{EvalFolder(runId, step)}/report.json";

    /// <summary>The trainer's curve up to this checkpoint (docs/training.md).</summary>
    public static string TrainingMetrics(string checkpointPrefix) => $"{checkpointPrefix.TrimEnd('/')}/metrics.jsonl";
}
