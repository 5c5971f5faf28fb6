using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Orchestrator.Deadlines;
using PrunerPipeline.Orchestrator.Runs;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>
/// The life of one run, top to bottom; the saga commands every stage and each event is named after its message:
/// <code>
///   RunAccepted          → GenerateRollouts per shard                         → Sampling
///                        → GenerateRollouts of the first updates (online)     → Online (see OnlineUpdates:
///                          sample → score → TrainPolicy{Step} → checkpoint, per policy update; the last → Evaluating)
///   RolloutsGenerated    → ScoreRollouts for that shard                       → Scoring (all sampled)
///   RewardsScored        → TrainPolicy (all scored)                           → Training
///   CheckpointPublished  → EvaluateCheckpoint for that checkpoint             → Evaluating (the final one)
///   EvaluationCompleted  → RunCompleted (the final one)                       → Completed
///                        → StartPruningRun {run}.round2 (rounds ≥ 2)          → NextRound
///   RunCompleted of {run}.round{r} → StartPruningRun of round r+1, or RunCompleted with every round → Completed
///   RunFaulted / RunCancelled of the round in progress → RunFaulted / RunCancelled
///   Fault&lt;command&gt;      → RunFaulted naming the stage;  CancelRun → RunCancelled
///   RedriveRun           → the current stage's outstanding commands again; past the re-drive limit → RunFaulted
///   ResumeRun (Faulted)  → back to the first stage whose results are not all stored, its outstanding commands again
/// </code>
/// Which stages run is the method's (<see cref="MethodRegistry"/>): a prompt-only method (Fast-solving prompt) goes
/// from RunAccepted straight to EvaluateCheckpoint of the base model; one that samples without training evaluates the
/// base model once every shard is scored. Every counter is a set keyed by shard or step, so a redelivered event never
/// counts twice; late or duplicate events after a stage changed nothing.
/// Crash safety: the state is saved before the outbox publishes, so a crash in between loses commands. Every command is
/// therefore rebuilt from the saved state (<see cref="StageCommands.OutstandingAsync"/>) and issued again when an
/// orchestrator starts and when a stage passes its deadline without progress (<see cref="StageDeadline"/>); consumers are
/// idempotent, so at-least-once is safe. After <c>MaxRedrives</c> re-drives without progress the run is Faulted, naming
/// the stage and what it waited for.
/// </summary>
public sealed class PruningRunStateMachine : MassTransitStateMachine<PruningRunState>
{
    public PruningRunStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => RunAccepted, e => e.CorrelateById(c => RunCorrelation.IdOf(c.Message.RunId)));
        Event(() => RunRejected, e => e.CorrelateById(c => RunCorrelation.IdOf(c.Message.RunId)));
        Event(() => RolloutsGenerated, e => Existing(e, c => c.Message.RunId));
        Event(() => RewardsScored, e => Existing(e, c => c.Message.RunId));
        Event(() => CheckpointPublished, e => Existing(e, c => c.Message.RunId));
        Event(() => EvaluationCompleted, e => Existing(e, c => c.Message.RunId));
        Event(() => CancelRun, e => Existing(e, c => c.Message.RunId));
        // A round run's end reaches the run that started it (its first round); any other run's end is discarded here.
        Event(() => RoundCompleted, e => Existing(e, c => RoundRuns.RootOf(c.Message.RunId) ?? ""));
        Event(() => RoundFaulted, e => Existing(e, c => RoundRuns.RootOf(c.Message.RunId) ?? ""));
        Event(() => RoundCancelled, e => Existing(e, c => RoundRuns.RootOf(c.Message.RunId) ?? ""));
        Event(() => RedriveRun, e => Existing(e, c => c.Message.RunId));
        Event(() => ResumeRun, e =>
        {
            e.CorrelateById(c => RunCorrelation.IdOf(c.Message.RunId));
            e.OnMissingInstance(m => m.ExecuteAsync(c => c.RespondAsync(new ResumeRefused
            {
                RunId = c.Message.RunId,
                State = "Unknown",
                Reason = $"run '{ArtifactName.Printable(c.Message.RunId ?? "")}' is unknown to the orchestrator",
            })));
        });
        Event(() => GenerateRolloutsFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => ScoreRolloutsFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => TrainPolicyFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => EvaluateCheckpointFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => GetRunStatus, e =>
        {
            e.CorrelateById(c => RunCorrelation.IdOf(c.Message.RunId));
            e.OnMissingInstance(m => m.ExecuteAsync(c => c.RespondAsync(new RunStatus { RunId = c.Message.RunId, State = "Unknown" })));
        });

        // Late, duplicate or forged events (a redelivered RewardsScored after training started, a RunRejected for a live
        // run, anything after the end) change nothing; each leaves one log line.
        OnUnhandledEvent(x =>
        {
            LogContext.Info?.Log("Run {RunId}: {Event} ignored in state {State}", x.Saga.RunId, x.Event.Name, x.CurrentState.Name);
            return x.Ignore();
        });

        During(Initial, Rejected,
            When(RunAccepted)
                .Then(c =>
                {
                    var method = c.GetServiceOrCreateInstance<MethodRegistry>()[c.Message.Run.Method];
                    c.Saga.RunId = c.Message.RunId;
                    c.Saga.Run = c.Message.Run;
                    c.Saga.Samples = method.Samples;
                    c.Saga.Trains = method.Trains;
                    c.Saga.Online = method.Online;
                    c.Saga.ShardsPerStep = method.Online && c.Message.Run.OnlineSteps > 0 ? c.Message.Shards / c.Message.Run.OnlineSteps : 0;
                    c.Saga.PolicyVersion = 0;
                    c.Saga.UpdatesIssued = 0;
                    c.Saga.TrainingUpdate = 0;
                    c.Saga.RunSpecBlob = c.Message.RunSpecBlob;
                    c.Saga.SampleSetId = c.Message.SampleSetId;
                    c.Saga.FinalCheckpoint = null;
                    Progress(c.Saga);
                    c.Saga.ShardsTotal = c.Message.Shards;
                    c.Saga.Problems = c.Message.Problems;
                    c.Saga.Reason = null;
                    c.Saga.Round = 1;
                    c.Saga.RoundResults = [];
                    c.Saga.AcceptedAt = DateTimeOffset.UtcNow;
                })
                .IfElse(c => c.Saga.Samples,
                    sampled => sampled.IfElse(c => c.Saga.Online,
                        online => online
                            .ThenAsync(OnlineUpdates.IssueAsync)
                            .TransitionTo(Online),
                        offline => offline
                            .Activity(x => x.OfType<PublishShardsActivity>())
                            .TransitionTo(Sampling)),
                    promptOnly => promptOnly
                        .Publish(c => EvaluateBaseModel(c.Saga))
                        .TransitionTo(Evaluating)),
            When(RunRejected)
                .Then(c =>
                {
                    c.Saga.RunId = c.Message.RunId;
                    c.Saga.Reason = string.Join("; ", c.Message.Reasons);
                    c.Saga.FinishedAt = DateTimeOffset.UtcNow;
                })
                .TransitionTo(Rejected));

        // Shard indices outside the run's plan (a stray or forged event) are ignored rather than counted.
        During(Sampling, Scoring,
            When(RolloutsGenerated, c => IsShardOf(c.Saga, c.Message.ShardIndex))
                .Then(c =>
                {
                    c.Saga.SampledShards.AddOnce(c.Message.ShardIndex);
                    c.Saga.ShardTokens[c.Message.ShardIndex] = c.Message.Tokens;
                    Progress(c.Saga);
                })
                // A redelivered RolloutsGenerated commands the scoring again until the shard is scored (scoring is idempotent).
                .If(c => !c.Saga.ScoredShards.ContainsKey(c.Message.ShardIndex),
                    score => score.Publish(c => StageCommands.Score(c.Saga, c.Message.ShardIndex, c.Message.RolloutsBlob)))
                .If(c => c.Saga.AllSampled, sampled => sampled.TransitionTo(Scoring)),
            When(RewardsScored, c => IsShardOf(c.Saga, c.Message.ShardIndex))
                .Then(c =>
                {
                    c.Saga.SampledShards.AddOnce(c.Message.ShardIndex);
                    c.Saga.ScoredShards[c.Message.ShardIndex] = c.Message.RewardsBlob;
                    Progress(c.Saga);
                })
                .If(c => c.Saga.AllScored,
                    scored => scored.IfElse(c => c.Saga.Trains,
                        train => train
                            .Publish(c => StageCommands.Train(c.Saga))
                            .TransitionTo(Training),
                        evaluate => evaluate
                            .Publish(c => StageCommands.EvaluateFinal(c.Saga))
                            .TransitionTo(Evaluating)))
                // A scored shard was necessarily sampled, even if its RolloutsGenerated was redelivered late.
                .If(c => !c.Saga.AllScored && c.Saga.AllSampled, sampled => sampled.TransitionTo(Scoring)));

        // An online method's policy updates (OnlineUpdates): every accepted shard, scored shard and new version is progress.
        During(Online,
            When(RolloutsGenerated, c => IsShardOf(c.Saga, c.Message.ShardIndex))
                .ThenAsync(async c =>
                {
                    var before = c.Saga.ShardVersions.Count;
                    await OnlineUpdates.OnSampledAsync(c);
                    if (c.Saga.ShardVersions.Count > before)
                        Progress(c.Saga);
                }),
            When(RewardsScored, c => IsShardOf(c.Saga, c.Message.ShardIndex))
                .ThenAsync(async c =>
                {
                    if (await OnlineUpdates.OnScoredAsync(c))
                        Progress(c.Saga);
                }),
            When(CheckpointPublished, c => NamesOwnCheckpoint(c.Saga, c.Message))
                .IfElseAsync(c => CheckpointIsStoredAsync(c),
                    stored => stored
                        .ThenAsync(async c =>
                        {
                            if (await OnlineUpdates.OnPublishedAsync(c))
                                Progress(c.Saga);
                        })
                        .If(c => c.Saga.FinalCheckpoint is not null, final => final
                            .Publish(c => StageCommands.EvaluateFinal(c.Saga))
                            .TransitionTo(Evaluating)),
                    missing => missing.Then(c => LogContext.Info?.Log("Run {RunId}: CheckpointPublished step {Step} ignored: {Checkpoint} is not in the artifact store",
                        c.Saga.RunId, c.Message.Step, ArtifactName.Printable(c.Message.Checkpoint ?? "")))));

        // Every checkpoint is offered to evaluation (the evaluation service decides whether intermediate ones are worth it);
        // a redelivered CheckpointPublished commands it again, and evaluation answers from its stored report.
        // A checkpoint must be this run's own (runs/{run}/checkpoints/step-n) and exist in the store; one "from the future"
        // (a step nobody trained) or after the final one is ignored with a log line.
        // An online run's intermediate versions are not evaluated (one per policy update would cost more than the training).
        During(Training, Evaluating,
            When(CheckpointPublished, c => NamesOwnCheckpoint(c.Saga, c.Message) && (!c.Saga.Online || c.Message.Step == c.Saga.FinalStep))
                .IfElseAsync(c => CheckpointIsStoredAsync(c),
                    stored => stored
                        .Then(c =>
                        {
                            c.Saga.CheckpointSteps.AddOnce(c.Message.Step);
                            Progress(c.Saga);
                            if (c.Message.IsFinal)
                            {
                                c.Saga.FinalCheckpoint = c.Message.Checkpoint;
                                c.Saga.FinalStep = c.Message.Step;
                            }
                        })
                        .Publish(c => new EvaluateCheckpoint
                        {
                            RunId = c.Saga.RunId,
                            Checkpoint = c.Message.Checkpoint,
                            Step = c.Message.Step,
                            IsFinal = c.Message.IsFinal,
                            Run = c.Saga.Run!,
                        })
                        .If(c => c.Message.IsFinal, final => final.TransitionTo(Evaluating)),
                    missing => missing.Then(c => LogContext.Info?.Log("Run {RunId}: CheckpointPublished step {Step} ignored: {Checkpoint} is not in the artifact store",
                        c.Saga.RunId, c.Message.Step, ArtifactName.Printable(c.Message.Checkpoint ?? "")))));

        During(Evaluating,
            When(EvaluationCompleted, c => c.Message.IsFinal)
                .Then(RecordResult)
                .IfElse(c => c.Saga.Run!.Rounds > 1,
                    iterate => iterate
                        .Then(c =>
                        {
                            c.Saga.RoundResults = [RoundFrom(1, Completion(c.Saga))];
                            c.Saga.Round = 2;
                            c.Saga.FinishedAt = null;
                            Progress(c.Saga);
                        })
                        .Publish(c => StageCommands.NextRound(c.Saga))
                        .TransitionTo(NextRound),
                    done => done
                        .Publish(c => Completion(c.Saga))
                        .TransitionTo(Completed)));

        // Round r ≥ 2 is its own run; its end (matched by run id: a stray or forged round id changes nothing) moves this one.
        During(NextRound,
            When(RoundCompleted, c => c.Message.RunId == RoundInProgress(c.Saga) && c.Message.FinalCheckpoint is not null)
                .Then(c =>
                {
                    c.Saga.RoundResults.Add(RoundFrom(c.Saga.Round, c.Message));
                    Progress(c.Saga);
                })
                .IfElse(c => c.Saga.Round < c.Saga.Run!.Rounds,
                    next => next
                        .Then(c => c.Saga.Round++)
                        .Publish(c => StageCommands.NextRound(c.Saga)),
                    last => last
                        .Then(c =>
                        {
                            var final = c.Saga.RoundResults[^1];
                            c.Saga.ReportBlob = final.ReportBlob;
                            c.Saga.Accuracy = final.Accuracy;
                            c.Saga.MeanLength = final.MeanLength;
                            c.Saga.Aes = final.Aes;
                            c.Saga.FinishedAt = DateTimeOffset.UtcNow;
                        })
                        .ThenAsync(c => c.GetServiceOrCreateInstance<IArtifactStore>().WriteJsonAsync(ArtifactLayout.Rounds(c.Saga.RunId), c.Saga.RoundResults, c.CancellationToken))
                        .Publish(c => Completion(c.Saga))
                        .TransitionTo(Completed)),
            When(RoundFaulted, c => c.Message.RunId == RoundInProgress(c.Saga))
                .Then(c => RecordFault(c.Saga, $"round {c.Saga.Round} (run {c.Message.RunId}) faulted in {c.Message.Stage}: {c.Message.Reason}"))
                .Publish(c => new RunFaulted { RunId = c.Saga.RunId, Stage = $"round {c.Saga.Round}: {c.Message.Stage}", Reason = c.Saga.Reason ?? "round faulted" })
                .TransitionTo(Faulted),
            When(RoundCancelled, c => c.Message.RunId == RoundInProgress(c.Saga))
                .Then(c => RecordFault(c.Saga, $"round {c.Saga.Round} (run {c.Message.RunId}) cancelled: {c.Message.Reason}"))
                .Publish(c => new RunCancelled { RunId = c.Saga.RunId, Reason = c.Saga.Reason ?? "cancelled" })
                .TransitionTo(Cancelled));

        During([Sampling, Scoring, Training, Online, Evaluating, NextRound],
            // Only a fault of a command this saga could have issued counts: a forged command naming the run with a hostile
            // model path or blob is rejected by its consumer, and that fault must not end the run.
            Faults(GenerateRolloutsFaulted, "GenerateRollouts", "sampling", (saga, m) => OwnsSample(saga, m.SampleSetId) && OwnsModel(saga, m.BaseModel)),
            Faults(ScoreRolloutsFaulted, "ScoreRollouts", "scoring", (saga, m) => m.RolloutsBlob is { } blob && OwnsSample(saga, blob.Split('/').ElementAtOrDefault(1))),
            Faults(TrainPolicyFaulted, "TrainPolicy", "training", (saga, m) => m.Run?.RunId == saga.RunId && m.RewardsBlobs.All(b => b?.StartsWith($"{ArtifactLayout.Run(saga.RunId)}/rewards/", StringComparison.Ordinal) == true)),
            Faults(EvaluateCheckpointFaulted, "EvaluateCheckpoint", "evaluating", (saga, m) => OwnsModel(saga, m.Checkpoint)),
            When(CancelRun)
                // An iterated run in round r ≥ 2 cancels that round's run too.
                .If(c => c.Saga.Round >= 2, round => round.Publish(c => new CancelRun { RunId = RoundInProgress(c.Saga), Reason = c.Message.Reason }))
                .Then(c => RecordFault(c.Saga, c.Message.Reason))
                .Publish(c => new RunCancelled { RunId = c.Saga.RunId, Reason = c.Saga.Reason ?? "cancelled" })
                .TransitionTo(Cancelled),
            When(RedriveRun)
                .IfElse(c => !c.Message.OnStartup && c.Saga.Redrives >= Deadlines(c).MaxRedrives && StageDeadline.IsPast(c.Saga, Deadlines(c), DateTimeOffset.UtcNow),
                    stalled => stalled
                        .Then(c =>
                        {
                            RecordFault(c.Saga, StalledReason(c.Saga));
                            c.GetServiceOrCreateInstance<ILogger<PruningRunStateMachine>>().LogWarning("Run {RunId} faulted: {Reason}", c.Saga.RunId, c.Saga.Reason);
                        })
                        .Publish(c => new RunFaulted { RunId = c.Saga.RunId, Stage = StageDeadline.Waiting(c.Saga).Stage, Reason = c.Saga.Reason ?? "stalled" })
                        .TransitionTo(Faulted),
                    redrive => redrive.If(c => c.Message.OnStartup || StageDeadline.IsPast(c.Saga, Deadlines(c), DateTimeOffset.UtcNow),
                        due => due.ThenAsync(c => RedriveAsync(c, c.Message.OnStartup ? "orchestrator start-up" : "deadline passed")))));

        // A Faulted run continues at the first stage whose results are not all stored; what is stored is reused (the
        // consumers answer from their blobs), and the trainer resumes from its newest checkpoint.
        During(Faulted,
            When(ResumeRun)
                .Then(c =>
                {
                    c.Saga.Reason = null;
                    c.Saga.FinishedAt = null;
                    c.Saga.Redrives = 0;
                    Progress(c.Saga);
                })
                .If(c => StageCommands.ResumeStage(c.Saga) == "Sampling", b => b.TransitionTo(Sampling))
                .If(c => StageCommands.ResumeStage(c.Saga) == "Scoring", b => b.TransitionTo(Scoring))
                .If(c => StageCommands.ResumeStage(c.Saga) == "Training", b => b.TransitionTo(Training))
                .If(c => StageCommands.ResumeStage(c.Saga) == "Online", b => b.TransitionTo(Online))
                .If(c => StageCommands.ResumeStage(c.Saga) == "Evaluating", b => b.TransitionTo(Evaluating))
                .If(c => StageCommands.ResumeStage(c.Saga) == "NextRound", b => b
                    .TransitionTo(NextRound)
                    // The round's own run faulted with this one: it is resumed too (a round that never started is started by the re-drive).
                    .Publish(c => new ResumeRun { RunId = RoundInProgress(c.Saga) }))
                .ThenAsync(c => RedriveAsync(c, "resumed"))
                .RespondAsync(c => c.Init<RunResumed>(new RunResumed
                {
                    RunId = c.Saga.RunId,
                    Stage = StageDeadline.Waiting(c.Saga).Stage,
                    Pending = StageDeadline.Waiting(c.Saga).Waiting,
                })));

        During([Sampling, Scoring, Training, Online, Evaluating, NextRound, Completed, Cancelled, Rejected],
            When(ResumeRun)
                .RespondAsync(c => c.Init<ResumeRefused>(new ResumeRefused
                {
                    RunId = c.Saga.RunId,
                    State = c.Saga.CurrentState,
                    Reason = $"run '{c.Saga.RunId}' is {c.Saga.CurrentState}; only a Faulted run can be resumed"
                        + (c.Saga.CurrentState is "Completed" or "Cancelled" or "Rejected" ? "" : " (an unfinished run is re-driven by the orchestrator itself)"),
                })));

        DuringAny(
            When(GetRunStatus)
                .RespondAsync(c => c.Init<RunStatus>(Status(c.Saga))));
    }

    public State Sampling { get; private set; } = null!;
    public State Scoring { get; private set; } = null!;
    public State Training { get; private set; } = null!;
    /// <summary>An online method's policy updates: sampling, scoring and training interleaved (<see cref="OnlineUpdates"/>).</summary>
    public State Online { get; private set; } = null!;
    public State Evaluating { get; private set; } = null!;
    /// <summary>An iterated run waits for its round r ≥ 2 (the run {runId}.round{r}).</summary>
    public State NextRound { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Faulted { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;

    public Event<RunAccepted> RunAccepted { get; private set; } = null!;
    public Event<RunRejected> RunRejected { get; private set; } = null!;
    public Event<RolloutsGenerated> RolloutsGenerated { get; private set; } = null!;
    public Event<RewardsScored> RewardsScored { get; private set; } = null!;
    public Event<CheckpointPublished> CheckpointPublished { get; private set; } = null!;
    public Event<EvaluationCompleted> EvaluationCompleted { get; private set; } = null!;
    public Event<CancelRun> CancelRun { get; private set; } = null!;
    public Event<RunCompleted> RoundCompleted { get; private set; } = null!;
    public Event<RunFaulted> RoundFaulted { get; private set; } = null!;
    public Event<RunCancelled> RoundCancelled { get; private set; } = null!;
    public Event<RedriveRun> RedriveRun { get; private set; } = null!;
    public Event<ResumeRun> ResumeRun { get; private set; } = null!;
    public Event<GetRunStatus> GetRunStatus { get; private set; } = null!;
    public Event<Fault<GenerateRollouts>> GenerateRolloutsFaulted { get; private set; } = null!;
    public Event<Fault<ScoreRollouts>> ScoreRolloutsFaulted { get; private set; } = null!;
    public Event<Fault<TrainPolicy>> TrainPolicyFaulted { get; private set; } = null!;
    public Event<Fault<EvaluateCheckpoint>> EvaluateCheckpointFaulted { get; private set; } = null!;

    /// <summary>A failed command (after its consumer's retries) ends the run, naming the stage and the reason.</summary>
    private EventActivityBinder<PruningRunState, Fault<T>> Faults<T>(Event<Fault<T>> fault, string command, string stage, Func<PruningRunState, T, bool> issuedHere)
        where T : class =>
        When(fault, c => issuedHere(c.Saga, c.Message.Message) || LogForeignFault(c.Saga, command, c.Message))
            .Then(c => RecordFault(c.Saga, FaultReason(command, c.Message)))
            .Publish(c => new RunFaulted { RunId = c.Saga.RunId, Stage = stage, Reason = c.Saga.Reason ?? "unknown" })
            .TransitionTo(Faulted);

    private static bool LogForeignFault<T>(PruningRunState saga, string command, Fault<T> fault)
        where T : class
    {
        LogContext.Warning?.Log("Run {RunId}: a fault of a {Command} this run never issued ignored ({Reason})", saga.RunId, command, FaultReason(command, fault));
        return false;
    }

    /// <summary>The run's own sample sets: its pre-sampling's, or (online) one of its policy versions'.</summary>
    private static bool OwnsSample(PruningRunState saga, string? sampleSetId) =>
        sampleSetId is not null && (sampleSetId == saga.SampleSetId || sampleSetId.StartsWith($"{saga.RunId}.policy-v", StringComparison.Ordinal));

    /// <summary>A model this run samples or evaluates: its base (or reference) model, or one of its own checkpoints.</summary>
    private static bool OwnsModel(PruningRunState saga, string? model) =>
        model is not null && (model == saga.Run?.BaseModel || model == saga.Run?.EvaluationReference()
            || model.StartsWith($"{ArtifactLayout.Checkpoints(saga.RunId)}/", StringComparison.Ordinal));

    private static EvaluateCheckpoint EvaluateBaseModel(PruningRunState saga) => StageCommands.EvaluateFinal(saga);

    private static RunDeadlineOptions Deadlines<T>(BehaviorContext<PruningRunState, T> c)
        where T : class =>
        c.GetServiceOrCreateInstance<IOptions<RunDeadlineOptions>>().Value;

    /// <summary>The stage moved: its deadline counts from now, and the re-drives start over.</summary>
    private static void Progress(PruningRunState saga)
    {
        saga.LastProgressAt = DateTimeOffset.UtcNow;
        saga.Redrives = 0;
    }

    private static string StalledReason(PruningRunState saga)
    {
        var (stage, waiting) = StageDeadline.Waiting(saga);
        return $"{stage}: {waiting} after {saga.Redrives} re-drive{(saga.Redrives == 1 ? "" : "s")}";
    }

    /// <summary>Issues the current stage's outstanding commands again (through the outbox: they leave once the state is saved).</summary>
    private static async Task RedriveAsync<T>(BehaviorContext<PruningRunState, T> c, string why)
        where T : class
    {
        var commands = await c.GetServiceOrCreateInstance<StageCommands>().OutstandingAsync(c.Saga, c.CancellationToken);
        foreach (var command in commands)
        {
            await c.Publish(command, command.GetType(), c.CancellationToken);
        }
        if (why == "deadline passed")
        {
            c.Saga.Redrives++;
            c.Saga.LastProgressAt = DateTimeOffset.UtcNow;
        }
        var (stage, waiting) = StageDeadline.Waiting(c.Saga);
        // Through the host's logging under the orchestrator's own category (MassTransit's log context is filtered to warnings in services).
        c.GetServiceOrCreateInstance<ILogger<PruningRunStateMachine>>().LogInformation(
            "Run {RunId}: {Stage} re-driven ({Why}): {Commands} command(s) issued again; waiting for {Waiting}",
            c.Saga.RunId, stage, why, commands.Count, waiting);
    }

    private static bool NamesOwnCheckpoint(PruningRunState saga, CheckpointPublished message) =>
        message.Step >= 1 && message.Checkpoint == ArtifactLayout.Checkpoint(saga.RunId, message.Step) || LogIgnoredCheckpoint(saga, message);

    private static bool LogIgnoredCheckpoint(PruningRunState saga, CheckpointPublished message)
    {
        LogContext.Info?.Log("Run {RunId}: CheckpointPublished step {Step} ignored: {Checkpoint} is not this run's checkpoint {Expected}",
            saga.RunId, message.Step, ArtifactName.Printable(message.Checkpoint ?? ""), ArtifactLayout.Checkpoint(saga.RunId, Math.Max(message.Step, 1)));
        return false;
    }

    /// <summary>A checkpoint counts once its trainer_state.json (uploaded last) is stored.</summary>
    private static Task<bool> CheckpointIsStoredAsync(BehaviorContext<PruningRunState, CheckpointPublished> c) =>
        c.GetServiceOrCreateInstance<IArtifactStore>().ExistsAsync(ArtifactLayout.CheckpointState(c.Message.Checkpoint), c.CancellationToken);

    private static void Existing<T>(IEventCorrelationConfigurator<PruningRunState, T> e, Func<ConsumeContext<T>, string> runId)
        where T : class
    {
        e.CorrelateById(c => RunCorrelation.IdOf(runId(c)));
        // Events for runs this orchestrator never accepted (or hostile ids) are dropped, not retried forever.
        e.OnMissingInstance(m => m.Discard());
    }

    private static bool IsShardOf(PruningRunState saga, int shardIndex) => shardIndex >= 0 && shardIndex < saga.ShardsTotal;

    private static void RecordResult(BehaviorContext<PruningRunState, EvaluationCompleted> c)
    {
        c.Saga.ReportBlob = c.Message.ReportBlob;
        c.Saga.Accuracy = c.Message.Accuracy;
        c.Saga.MeanLength = c.Message.MeanLength;
        c.Saga.Aes = c.Message.Aes;
        c.Saga.FinishedAt = DateTimeOffset.UtcNow;
    }

    private static void RecordFault(PruningRunState saga, string reason)
    {
        saga.Reason = reason;
        saga.FinishedAt = DateTimeOffset.UtcNow;
    }

    private static string FaultReason<T>(string command, Fault<T> fault)
        where T : class
    {
        var exception = fault.Exceptions.FirstOrDefault();
        return exception is null ? $"{command} failed" : $"{command} failed: {exception.ExceptionType}: {exception.Message}";
    }

    private static RunCompleted Completion(PruningRunState saga) => new()
    {
        RunId = saga.RunId,
        ReportBlob = saga.ReportBlob ?? "",
        Accuracy = saga.Accuracy ?? 0,
        MeanLength = saga.MeanLength ?? 0,
        Aes = saga.Aes ?? 0,
        FinalCheckpoint = saga.RoundResults.Count > 0 ? saga.RoundResults[^1].Checkpoint : saga.FinalCheckpoint,
        Rounds = saga.RoundResults.Count > 0 ? saga.RoundResults : null,
        TrainingTokensSampled = saga.ShardTokens.Values.Sum() + saga.RoundResults.Where(r => r.Round >= 2).Sum(r => r.TrainingTokensSampled),
    };

    /// <summary>The run of the round in progress ({runId}.round{r}; for round 1 the run itself).</summary>
    private static string RoundInProgress(PruningRunState saga) => saga.Round == 1 ? saga.RunId : RoundRuns.RunId(saga.RunId, saga.Round);

    /// <summary>A round's result from its run's completion (round 1: this run's own, see <see cref="Completion"/>).</summary>
    private static RoundResult RoundFrom(int round, RunCompleted completed) => new()
    {
        Round = round,
        RunId = completed.RunId,
        Checkpoint = completed.FinalCheckpoint,
        ReportBlob = completed.ReportBlob,
        Accuracy = completed.Accuracy,
        MeanLength = completed.MeanLength,
        Aes = completed.Aes,
        TrainingTokensSampled = completed.TrainingTokensSampled,
    };

    private static RunStatus Status(PruningRunState saga) => new()
    {
        RunId = saga.RunId,
        State = saga.CurrentState,
        ShardsTotal = saga.ShardsTotal,
        ShardsSampled = saga.SampledShards.Count,
        ShardsScored = saga.ScoredShards.Count,
        CheckpointsPublished = saga.CheckpointSteps.Count,
        ReportBlob = saga.ReportBlob,
        Reason = saga.Reason,
    };
}
