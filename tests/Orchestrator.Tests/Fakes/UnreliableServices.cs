using System.Collections.Concurrent;

namespace PrunerPipeline.Orchestrator.Tests.Fakes;

/// <summary>
/// A rollout worker that loses commands: the first <see cref="Lost"/> deliveries of each listed shard vanish (a command
/// lost between the saga's save and its publish, or a worker alive but never finishing); later ones are answered.
/// Static state: one scenario per test class at a time.
/// </summary>
public sealed class LossyRolloutWorker : IConsumer<GenerateRollouts>
{
    public static readonly ConcurrentDictionary<int, int> Deliveries = new();
    public static HashSet<int> Shards { get; set; } = [];
    public static int Lost { get; set; } = 1;

    public Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var delivery = Deliveries.AddOrUpdate(context.Message.ShardIndex, 1, (_, n) => n + 1);
        return Shards.Contains(context.Message.ShardIndex) && delivery <= Lost ? Task.CompletedTask : new FakeRolloutWorker().Consume(context);
    }

    public static void Reset(IEnumerable<int> shards, int lost)
    {
        Deliveries.Clear();
        Shards = [.. shards];
        Lost = lost;
    }
}

/// <summary>A trainer that fails while <see cref="Broken"/> (every attempt, so the run faults), then trains like <see cref="FakeTrainer"/>.</summary>
public sealed class FlakyTrainer(Hosting.Artifacts.IArtifactStore store) : IConsumer<TrainPolicy>
{
    public static volatile bool Broken = true;
    public static int Attempts;

    public Task Consume(ConsumeContext<TrainPolicy> context)
    {
        Interlocked.Increment(ref Attempts);
        return Broken ? throw new InvalidOperationException("blob store unreachable") : new FakeTrainer(store).Consume(context);
    }
}

/// <summary>A trainer that takes the command and never publishes a checkpoint (a forged checkpoint is then the only one).</summary>
public sealed class SilentTrainer : IConsumer<TrainPolicy>
{
    public Task Consume(ConsumeContext<TrainPolicy> context) => Task.CompletedTask;
}
