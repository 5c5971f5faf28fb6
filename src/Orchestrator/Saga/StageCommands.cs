using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Orchestrator.Sharding;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>
/// The commands the saga issues, built in one place: on entering a stage, and again for whatever a stage still waits for
/// (a re-drive after a restart or a missed deadline, a resume). Rebuilt from the saved state and the stored shard plan,
/// so nothing has to survive in memory.
/// </summary>
public sealed class StageCommands(IArtifactStore store)
{
    public static GenerateRollouts Shard(ShardPlan plan, StartPruningRun run, int shard) => new()
    {
        RunId = run.RunId,
        SampleSetId = plan.SampleSetId,
        ShardIndex = shard,
        ShardCount = plan.Shards.Count,
        Dataset = plan.Dataset,
        ProblemIds = plan.Shards[shard],
        BaseModel = run.BaseModel,
        SamplesPerProblem = run.SamplesPerProblem,
        MaxNewTokens = run.MaxNewTokens,
        Temperature = run.Temperature,
        TopP = run.TopP,
        Seed = run.Seed,
    };

    public static ScoreRollouts Score(PruningRunState saga, int shard, string rolloutsBlob) => new()
    {
        RunId = saga.RunId,
        ShardIndex = shard,
        RolloutsBlob = rolloutsBlob,
        Dataset = saga.Run!.TrainingDataset,
        Lambda = saga.Run.Lambda,
        BaselineRewardsBlob = saga.Run.BaselineRun is { } baselineRun ? ArtifactLayout.Rewards(baselineRun, shard) : null,
        LengthReward = saga.Run.LengthReward,
        LengthTarget = saga.Run.LengthTarget,
    };

    /// <summary>Iterated runs: the submission of round <see cref="PruningRunState.Round"/>, from the previous round's final checkpoint.</summary>
    public static StartPruningRun NextRound(PruningRunState saga) =>
        RoundRuns.Start(saga.Run!, saga.Round, saga.RoundResults[^1].Checkpoint
            ?? throw new InvalidOperationException($"Run {saga.RunId}: round {saga.Round - 1} ended without a checkpoint"));

    public static TrainPolicy Train(PruningRunState saga) => new()
    {
        RunId = saga.RunId,
        Run = saga.Run!,
        RewardsBlobs = saga.ScoredShards.OrderBy(s => s.Key).Select(s => s.Value).ToList(),
    };

    /// <summary>The final evaluation: the final checkpoint when the method trained, else the base model (step 0).</summary>
    public static EvaluateCheckpoint EvaluateFinal(PruningRunState saga) => new()
    {
        RunId = saga.RunId,
        Checkpoint = saga.FinalCheckpoint ?? saga.Run!.BaseModel,
        Step = saga.FinalCheckpoint is null ? 0 : saga.FinalStep,
        IsFinal = true,
        Run = saga.Run!,
    };

    public async Task<ShardPlan> PlanAsync(string runId, CancellationToken ct) =>
        await store.ReadJsonAsync<ShardPlan>(ArtifactLayout.ShardPlan(runId), ct)
            ?? throw new InvalidOperationException($"Run {runId} was accepted but its shard plan {ArtifactLayout.ShardPlan(runId)} is missing");

    /// <summary>What the run's current stage still waits for, as the commands that produce it.</summary>
    public async Task<IReadOnlyList<object>> OutstandingAsync(PruningRunState saga, CancellationToken ct)
    {
        var commands = new List<object>();
        switch (saga.CurrentState)
        {
            case "Sampling" or "Scoring":
                if (!saga.AllSampled)
                {
                    var plan = await PlanAsync(saga.RunId, ct);
                    commands.AddRange(Enumerable.Range(0, plan.Shards.Count).Where(i => !saga.SampledShards.Contains(i)).Select(i => Shard(plan, saga.Run!, i)));
                }
                commands.AddRange(saga.SampledShards.Where(i => !saga.ScoredShards.ContainsKey(i))
                    .Select(i => Score(saga, i, ArtifactLayout.Rollouts(saga.SampleSetId ?? "", i))));
                break;
            case "Training":
                commands.Add(Train(saga));
                break;
            case "Online":
                commands.AddRange(await OnlineUpdates.OutstandingAsync(saga, this, ct));
                break;
            case "Evaluating":
                commands.Add(EvaluateFinal(saga));
                break;
            case "NextRound":
                // Submitting a run again with the same settings is answered from its stored run.json: idempotent.
                commands.Add(NextRound(saga));
                break;
        }
        return commands;
    }

    /// <summary>The stage a Faulted run continues at: the first one whose results are not all stored.</summary>
    public static string ResumeStage(PruningRunState saga) =>
        saga.Online ? (saga.FinalCheckpoint is null ? "Online" : "Evaluating")
        : saga.Samples && !saga.AllSampled ? "Sampling"
        : saga.Samples && !saga.AllScored ? "Scoring"
        : saga.Trains && saga.FinalCheckpoint is null ? "Training"
        : saga.Round >= 2 ? "NextRound"
        : "Evaluating";
}
