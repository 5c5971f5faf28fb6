using MassTransit;
using PrunerPipeline.Contracts;
using PrunerPipeline.Orchestrator.Runs;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>
/// The life of one run, top to bottom: accepted → Sampling (GenerateRollouts per shard) → Scoring (rewards per shard)
/// → Training (TrainPolicy) → Evaluating (final checkpoint) → Completed; a failed step → Faulted; CancelRun → Cancelled.
/// FastPrompt skips sampling and training: the base model itself is published as the checkpoint to evaluate.
/// Every counter is a set keyed by shard or step, so a redelivered event never counts twice.
/// </summary>
public sealed class PruningRunStateMachine : MassTransitStateMachine<PruningRunState>
{
    public PruningRunStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Accepted, e => e.CorrelateById(c => RunCorrelation.IdOf(c.Message.RunId)));
        Event(() => RejectionAnnounced, e => e.CorrelateById(c => RunCorrelation.IdOf(c.Message.RunId)));
        Event(() => RolloutsStored, e => Existing(e, c => c.Message.RunId));
        Event(() => ShardScored, e => Existing(e, c => c.Message.RunId));
        Event(() => CheckpointStored, e => Existing(e, c => c.Message.RunId));
        Event(() => Evaluated, e => Existing(e, c => c.Message.RunId));
        Event(() => CancelRequested, e => Existing(e, c => c.Message.RunId));
        Event(() => SamplingFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => ScoringFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => TrainingFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => EvaluationFaulted, e => Existing(e, c => c.Message.Message.RunId));
        Event(() => StatusRequested, e =>
        {
            e.CorrelateById(c => RunCorrelation.IdOf(c.Message.RunId));
            e.OnMissingInstance(m => m.ExecuteAsync(c => c.RespondAsync(new RunStatus { RunId = c.Message.RunId, State = "Unknown" })));
        });

        // Late or duplicate events (a redelivered RewardsScored after training started, anything after the end) change nothing.
        OnUnhandledEvent(x => x.Ignore());

        During(Initial, Rejected,
            When(Accepted)
                .Then(c =>
                {
                    c.Saga.RunId = c.Message.RunId;
                    c.Saga.RunSpecBlob = c.Message.RunSpecBlob;
                    c.Saga.ShardsTotal = c.Message.Shards;
                    c.Saga.Problems = c.Message.Problems;
                    c.Saga.Reason = null;
                    c.Saga.AcceptedAt = DateTimeOffset.UtcNow;
                })
                .ThenAsync(LoadRunSettingsAsync)
                .IfElse(c => c.Saga.Method == PruningMethod.FastPrompt,
                    fast => fast
                        .Publish(c => new CheckpointPublished { RunId = c.Saga.RunId, Checkpoint = c.Saga.BaseModel, Step = 0, Epoch = 0, IsFinal = true })
                        .TransitionTo(Evaluating),
                    sampled => sampled
                        .Activity(x => x.OfType<PublishShardsActivity>())
                        .TransitionTo(Sampling)),
            When(RejectionAnnounced)
                .Then(c =>
                {
                    c.Saga.RunId = c.Message.RunId;
                    c.Saga.Reason = string.Join("; ", c.Message.Reasons);
                    c.Saga.FinishedAt = DateTimeOffset.UtcNow;
                })
                .TransitionTo(Rejected));

        During(Sampling, Scoring,
            Advance(When(RolloutsStored)
                .Then(c => AddOnce(c.Saga.SampledShards, c.Message.ShardIndex))),
            Advance(When(ShardScored)
                .Then(c =>
                {
                    // A scored shard was necessarily sampled, even if its RolloutsGenerated has not reached the saga yet.
                    AddOnce(c.Saga.SampledShards, c.Message.ShardIndex);
                    c.Saga.ScoredShards[c.Message.ShardIndex] = c.Message.RewardsBlob;
                })));

        During(Training,
            When(CheckpointStored)
                .Then(c => AddOnce(c.Saga.CheckpointSteps, c.Message.Step))
                .If(c => c.Message.IsFinal, final => final.TransitionTo(Evaluating)),
            // The final evaluation can overtake the saga's own copy of the final CheckpointPublished.
            When(Evaluated, c => c.Message.IsFinal)
                .Then(RecordResult)
                .Publish(c => Completion(c.Saga))
                .TransitionTo(Completed));

        During(Evaluating,
            When(CheckpointStored)
                .Then(c => AddOnce(c.Saga.CheckpointSteps, c.Message.Step)),
            When(Evaluated, c => c.Message.IsFinal)
                .Then(RecordResult)
                .Publish(c => Completion(c.Saga))
                .TransitionTo(Completed));

        During(Sampling, Scoring, Training, Evaluating,
            When(SamplingFaulted)
                .Then(c => RecordFault(c.Saga, FaultReason("GenerateRollouts", c.Message)))
                .Publish(c => Fault(c.Saga, "sampling"))
                .TransitionTo(Faulted),
            When(ScoringFaulted)
                .Then(c => RecordFault(c.Saga, FaultReason("RolloutsGenerated (scoring)", c.Message)))
                .Publish(c => Fault(c.Saga, "scoring"))
                .TransitionTo(Faulted),
            When(TrainingFaulted)
                .Then(c => RecordFault(c.Saga, FaultReason("TrainPolicy", c.Message)))
                .Publish(c => Fault(c.Saga, "training"))
                .TransitionTo(Faulted),
            When(EvaluationFaulted)
                .Then(c => RecordFault(c.Saga, FaultReason("CheckpointPublished (evaluation)", c.Message)))
                .Publish(c => Fault(c.Saga, "evaluating"))
                .TransitionTo(Faulted),
            When(CancelRequested)
                .Then(c => RecordFault(c.Saga, c.Message.Reason))
                .Publish(c => new RunCancelled { RunId = c.Saga.RunId, Reason = c.Saga.Reason ?? "cancelled" })
                .TransitionTo(Cancelled));

        DuringAny(
            When(StatusRequested)
                .RespondAsync(c => c.Init<RunStatus>(Status(c.Saga))));
    }

    public State Sampling { get; private set; } = null!;
    public State Scoring { get; private set; } = null!;
    public State Training { get; private set; } = null!;
    public State Evaluating { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Faulted { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;

    public Event<RunAccepted> Accepted { get; private set; } = null!;
    public Event<RunRejected> RejectionAnnounced { get; private set; } = null!;
    public Event<RolloutsGenerated> RolloutsStored { get; private set; } = null!;
    public Event<RewardsScored> ShardScored { get; private set; } = null!;
    public Event<CheckpointPublished> CheckpointStored { get; private set; } = null!;
    public Event<EvaluationCompleted> Evaluated { get; private set; } = null!;
    public Event<CancelRun> CancelRequested { get; private set; } = null!;
    public Event<GetRunStatus> StatusRequested { get; private set; } = null!;
    public Event<Fault<GenerateRollouts>> SamplingFaulted { get; private set; } = null!;
    public Event<Fault<RolloutsGenerated>> ScoringFaulted { get; private set; } = null!;
    public Event<Fault<TrainPolicy>> TrainingFaulted { get; private set; } = null!;
    public Event<Fault<CheckpointPublished>> EvaluationFaulted { get; private set; } = null!;

    /// <summary>After a shard event: all scored → train; all sampled → scoring.</summary>
    private EventActivityBinder<PruningRunState, T> Advance<T>(EventActivityBinder<PruningRunState, T> binder)
        where T : class =>
        binder.IfElse(c => c.Saga.AllScored,
            done => done
                .Publish(c => new TrainPolicy
                {
                    RunId = c.Saga.RunId,
                    Method = c.Saga.Method,
                    RunSpecBlob = c.Saga.RunSpecBlob,
                    RewardsBlobs = c.Saga.ScoredShards.OrderBy(s => s.Key).Select(s => s.Value).ToList(),
                })
                .TransitionTo(Training),
            pending => pending.If(c => c.Saga.AllSampled, sampled => sampled.TransitionTo(Scoring)));

    private static void Existing<T>(IEventCorrelationConfigurator<PruningRunState, T> e, Func<ConsumeContext<T>, string> runId)
        where T : class
    {
        e.CorrelateById(c => RunCorrelation.IdOf(runId(c)));
        // Events for runs this orchestrator never accepted (or hostile ids) are dropped, not retried forever.
        e.OnMissingInstance(m => m.Discard());
    }

    private static async Task LoadRunSettingsAsync(BehaviorContext<PruningRunState, RunAccepted> context)
    {
        var store = context.GetServiceOrCreateInstance<Hosting.Artifacts.IArtifactStore>();
        var run = await Hosting.Artifacts.ArtifactStoreExtensions.ReadJsonAsync<StartPruningRun>(store, context.Message.RunSpecBlob, context.CancellationToken)
            ?? throw new InvalidOperationException($"Run {context.Message.RunId} was accepted but {context.Message.RunSpecBlob} is missing");
        context.Saga.Method = run.Method;
        context.Saga.BaseModel = run.BaseModel;
    }

    private static void AddOnce(List<int> set, int value)
    {
        if (!set.Contains(value))
        {
            set.Add(value);
            set.Sort();
        }
    }

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

    private static string FaultReason<T>(string step, Fault<T> fault)
        where T : class
    {
        var exception = fault.Exceptions.FirstOrDefault();
        return exception is null ? $"{step} failed" : $"{step} failed: {exception.ExceptionType}: {exception.Message}";
    }

    private static RunCompleted Completion(PruningRunState saga) => new()
    {
        RunId = saga.RunId,
        ReportBlob = saga.ReportBlob ?? "",
        Accuracy = saga.Accuracy ?? 0,
        MeanLength = saga.MeanLength ?? 0,
        Aes = saga.Aes ?? 0,
    };

    private static RunFaulted Fault(PruningRunState saga, string stage) => new() { RunId = saga.RunId, Stage = stage, Reason = saga.Reason ?? "unknown" };

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
