using System.Collections.Concurrent;

namespace PrunerPipeline.Hosting.Tests.Messaging;

/// <summary>
/// Graceful shutdown on a real broker: in-flight work gets Bus:ShutdownTimeoutSeconds to finish; work that cannot
/// finish is cancelled and its message, never acknowledged, goes back to the queue for the next worker.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_a_service_stops_with_work_in_flight(RabbitMqFixture rabbit) : IDisposable
{
    private readonly TemporaryFolder folder = new("shutdown");

    [SkippableFact]
    public async Task Unfinished_work_returns_to_the_queue_and_the_next_worker_does_it()
    {
        rabbit.SkipUnlessAvailable();
        var log = new ConcurrentQueue<string>();

        using (var first = await StartWorkerAsync("first", log))
        {
            var queue = await first.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri("queue:slow-work-probe"));
            await queue.Send(new CancelRun { RunId = "long-shard", Reason = "x" });
            await WaitUntilAsync(() => log.Contains("first started long-shard"));
            await first.StopAsync();
        }
        Assert.Contains("first cancelled long-shard", log);
        Assert.DoesNotContain("first finished long-shard", log);

        using var second = await StartWorkerAsync("second", log);
        await WaitUntilAsync(() => log.Contains("second started long-shard"));
        Assert.Contains("second started long-shard", log);
        await second.StopAsync();
    }

    private async Task<IHost> StartWorkerAsync(string name, ConcurrentQueue<string> log)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(rabbit.BusSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:ShutdownTimeoutSeconds"] = "1",
            ["Artifacts:Root"] = folder.Path,
            ["Health:File"] = Path.Combine(folder.Path, name + ".health"),
        });
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(new WorkerName(name));
        builder.AddPrunerDefaults(bus => bus.AddConsumer<SlowWorkProbeConsumer>());
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public void Dispose() => folder.Dispose();
}

public sealed record WorkerName(string Value);

/// <summary>Work that takes far longer than the shutdown allows, and stops when asked to.</summary>
public sealed class SlowWorkProbeConsumer(ConcurrentQueue<string> log, WorkerName worker) : IConsumer<CancelRun>
{
    public async Task Consume(ConsumeContext<CancelRun> context)
    {
        log.Enqueue($"{worker.Value} started {context.Message.RunId}");
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(5), context.CancellationToken);
            log.Enqueue($"{worker.Value} finished {context.Message.RunId}");
        }
        catch (OperationCanceledException)
        {
            log.Enqueue($"{worker.Value} cancelled {context.Message.RunId}");
            throw;
        }
    }
}
