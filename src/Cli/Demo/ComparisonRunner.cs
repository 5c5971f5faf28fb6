using System.Diagnostics;
using MassTransit;
using PrunerPipeline.Cli.Embedded;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// Submits a comparison's runs one after another on the bus and follows each to its end. One at a time because every
/// stage is CPU-bound on the same cores (running them together only interleaves them), and because the first run's
/// samples are then already stored when the next run with the same sampling settings asks for them.
/// </summary>
public sealed class ComparisonRunner(IBus bus, IStageProgress progress)
{
    public async Task<IReadOnlyList<FinishedRun>> RunAllAsync(IReadOnlyList<PlannedRun> plans, CancellationToken ct)
    {
        var finished = new List<FinishedRun>();
        foreach (var plan in plans)
        {
            var run = await RunAsync(plan, ct);
            finished.Add(run);
            if (!run.Outcome.Succeeded)
            {
                var reason = run.Outcome.FinalEvent switch
                {
                    RunFaulted f => $"faulted while {f.Stage}: {f.Reason}",
                    RunRejected r => "rejected: " + string.Join("; ", r.Reasons),
                    RunCancelled c => "cancelled: " + c.Reason,
                    var other => other.ToString() ?? run.Outcome.State,
                };
                var stage = run.Outcome.FinalEvent is RunFaulted faulted ? $"{plan.Label} / {faulted.Stage}" : plan.Label;
                throw new DemoStageFailedException(stage, $"run {plan.Run.RunId} {reason}");
            }
        }
        return finished;
    }

    private async Task<FinishedRun> RunAsync(PlannedRun plan, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var stageSeconds = new Dictionary<string, double>();
        var stageStarted = TimeSpan.Zero;
        var stage = "starting";
        var shards = 0;
        var sampledShards = new HashSet<int>();
        var scoredShards = new HashSet<int>();
        var online = MethodRegistry.Default.Find(plan.Run.Method)?.Online == true;

        string Bar(string name) => $"{plan.Label}: {name}";

        void EndStage(string next)
        {
            var now = clock.Elapsed;
            stageSeconds[stage] = stageSeconds.GetValueOrDefault(stage) + (now - stageStarted).TotalSeconds;
            if (stage is not "starting")
            {
                progress.Complete(Bar(stage));
            }
            stage = next;
            stageStarted = now;
        }

        void OnEvent(object message)
        {
            lock (stageSeconds)
            {
                switch (message)
                {
                    case RunAccepted accepted:
                        shards = accepted.Shards;
                        EndStage(online ? "online updates" : MethodRegistry.Default.Find(plan.Run.Method)?.Samples == false ? "evaluating" : "sampling");
                        progress.Report(Bar(stage), 0, online ? plan.Run.OnlineSteps : Math.Max(1, shards));
                        break;
                    // An online run samples, scores and trains every update: one bar of updates, then evaluation.
                    case CheckpointPublished checkpoint when online:
                        progress.Report(Bar("online updates"), checkpoint.Step, plan.Run.OnlineSteps, $"policy version {checkpoint.Step}");
                        if (checkpoint.Step == plan.Run.OnlineSteps && stage == "online updates")
                        {
                            EndStage("evaluating");
                        }
                        break;
                    case RolloutsGenerated or RewardsScored or TrainPolicy or StageProgress when online:
                        break;
                    case RolloutsGenerated rollouts:
                        sampledShards.Add(rollouts.ShardIndex);
                        progress.Report(Bar("sampling"), sampledShards.Count, Math.Max(1, shards), $"{rollouts.Samples} samples in {rollouts.Seconds:F0} s");
                        break;
                    case RewardsScored scored:
                        scoredShards.Add(scored.ShardIndex);
                        break;
                    case TrainPolicy:
                        EndStage("training");
                        progress.Report(Bar("training"), 0, 1);
                        break;
                    case StageProgress p when p.Total > 0:
                        progress.Report(Bar(p.Stage), p.Done, p.Total, p.Detail);
                        break;
                    case CheckpointPublished { IsFinal: true } when stage == "training":
                        EndStage("evaluating");
                        break;
                    case RunCompleted or RunFaulted or RunCancelled or RunRejected:
                        EndStage("done");
                        break;
                }
            }
            progress.Log($"{plan.Run.RunId} {RunEventText.Describe(message)}");
        }

        await using var follower = await RunFollower.ConnectAsync(bus, plan.Run.RunId, OnEvent, ct);
        await follower.SubmitAsync(bus, plan.Run, ct);
        var outcome = await follower.Outcome.WaitAsync(ct);
        lock (stageSeconds)
        {
            stageSeconds.Remove("done");
            return new FinishedRun(plan, outcome, new Dictionary<string, double>(stageSeconds));
        }
    }
}
