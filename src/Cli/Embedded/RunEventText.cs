using System.Globalization;

namespace PrunerPipeline.Cli.Embedded;

/// <summary>One readable line per run event, for the CLI's progress output.</summary>
public static class RunEventText
{
    public static string Describe(object message) => message switch
    {
        RunAccepted m => $"accepted: {m.Problems} training problems in {m.Shards} shards (settings in {m.RunSpecBlob})",
        RunRejected m => "rejected:\n" + string.Join('\n', m.Reasons.Select(r => "  - " + r)),
        StageProgress m => $"{m.Stage}: {m.Done}/{m.Total}{(m.Detail is null ? "" : " " + m.Detail)}",
        RolloutsGenerated m => F($"sampled shard {m.ShardIndex}: {m.Samples} samples of {m.Problems} problems, {m.Tokens} tokens in {m.Seconds:F1} s"),
        RewardsScored m => F($"scored shard {m.ShardIndex}: accuracy {m.Accuracy:P1}, mean length {m.MeanLength:F1} tokens, reward {m.RewardMean:F3} ± {m.RewardStd:F3}"),
        ScoreRollouts m => $"scoring shard {m.ShardIndex} (λ = {m.Lambda.ToString(CultureInfo.InvariantCulture)})",
        TrainPolicy m => $"training ({m.Run.Method}) on {m.RewardsBlobs.Count} scored shards",
        EvaluateCheckpoint m => $"evaluating {m.Checkpoint} (step {m.Step}){(m.IsFinal ? ", final" : "")}",
        CheckpointPublished m => $"checkpoint step {m.Step} (epoch {m.Epoch}){(m.IsFinal ? ", final" : "")}: {m.Checkpoint}",
        EvaluationCompleted m => F($"evaluated {m.Checkpoint}: accuracy {m.Accuracy:P1} (reference {m.ReferenceAccuracy:P1}), length {m.MeanLength:F1} (reference {m.ReferenceMeanLength:F1}), AES {m.Aes:F3}"),
        RunCompleted { Rounds: { Count: > 0 } rounds } m => F($"completed: accuracy {m.Accuracy:P1}, mean length {m.MeanLength:F1}, AES {m.Aes:F3}; report {m.ReportBlob}")
            + string.Concat(rounds.Select(r => F($"\n  round {r.Round} ({r.RunId}): accuracy {r.Accuracy:P1}, mean length {r.MeanLength:F1}, AES {r.Aes:F3}"))),
        RunCompleted m => F($"completed: accuracy {m.Accuracy:P1}, mean length {m.MeanLength:F1}, AES {m.Aes:F3}; report {m.ReportBlob}"),
        RunFaulted m => $"faulted while {m.Stage}: {m.Reason}",
        RunCancelled m => $"cancelled: {m.Reason}",
        _ => message.ToString() ?? "",
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
