using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace PrunerPipeline.Hosting.Tests.Messaging;

/// <summary>The bus wiring of AddPrunerDefaults on a real broker: retries with back-off, then the _error queue with the reason.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_a_message_keeps_failing_on_rabbitmq(RabbitMqFixture rabbit) : IDisposable
{
    private readonly TemporaryFolder folder = new("rabbit-wiring");

    [SkippableFact]
    public async Task It_is_retried_then_dead_lettered_with_its_reason_and_bad_input_is_not_retried()
    {
        rabbit.SkipUnlessAvailable();
        var attempts = new ConcurrentDictionary<string, int>();
        var faults = new ConcurrentQueue<Fault<CancelRun>>();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(rabbit.BusSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:RetryLimit"] = "2",
            ["Bus:RetryMinIntervalMilliseconds"] = "50",
            ["Bus:RetryMaxIntervalMilliseconds"] = "200",
            ["Artifacts:Root"] = folder.Path,
            ["Health:File"] = Path.Combine(folder.Path, "health"),
        });
        builder.Services.AddSingleton(attempts);
        builder.Services.AddSingleton(faults);
        builder.AddPrunerDefaults(bus =>
        {
            bus.AddConsumer<AlwaysFailingProbeConsumer>();
            bus.AddConsumer<CancelRunFaultProbeConsumer>();
        });
        using var host = builder.Build();
        await host.StartAsync();

        var queue = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri("queue:always-failing-probe"));
        await queue.Send(new CancelRun { RunId = "transient", Reason = "x" });
        await queue.Send(new CancelRun { RunId = "bad-input", Reason = "x" });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (faults.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await host.StopAsync();

        Assert.Equal(3, attempts["transient"]);
        Assert.Equal(1, attempts["bad-input"]);
        Assert.Equal(["bad-input", "transient"], faults.Select(f => f.Message.RunId).Order());
        var errorReasons = await ErrorQueueReasonsAsync("always-failing-probe_error");
        Assert.Equal(2, errorReasons.Count);
        Assert.Contains(errorReasons, r => r.Contains("the blob store is down for transient"));
        Assert.Contains(errorReasons, r => r.Contains("bad-input can never succeed"));
    }

    /// <summary>The MT-Fault-Message header of every message in an _error queue (read through the management API, left in place).</summary>
    private async Task<List<string>> ErrorQueueReasonsAsync(string queue)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{rabbit.Server.ManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rabbit.Server.ConsoleUsername}:{rabbit.Server.ConsolePassword}")));
        var response = await http.PostAsJsonAsync($"queues/%2f/{queue}/get", new { count = 10, ackmode = "ack_requeue_true", encoding = "auto" });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray()
            .Select(m => m.GetProperty("properties").GetProperty("headers").GetProperty("MT-Fault-Message").GetString() ?? "")
            .ToList();
    }

    public void Dispose() => folder.Dispose();
}

/// <summary>Fails every attempt: transiently for most runs, as invalid input for "bad-input".</summary>
public sealed class AlwaysFailingProbeConsumer(ConcurrentDictionary<string, int> attempts) : IConsumer<CancelRun>
{
    public Task Consume(ConsumeContext<CancelRun> context)
    {
        attempts.AddOrUpdate(context.Message.RunId, 1, (_, n) => n + 1);
        if (context.Message.RunId == "bad-input")
        {
            throw new ArgumentException($"{context.Message.RunId} can never succeed");
        }
        throw new InvalidOperationException($"the blob store is down for {context.Message.RunId}");
    }
}

public sealed class CancelRunFaultProbeConsumer(ConcurrentQueue<Fault<CancelRun>> faults) : IConsumer<Fault<CancelRun>>
{
    public Task Consume(ConsumeContext<Fault<CancelRun>> context)
    {
        faults.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
