using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.Hosting;
using PrunerPipeline.Orchestrator.Problems;

namespace PrunerPipeline.Orchestrator.Tests.Saga;

/// <summary>
/// Not the test harness: the host a service really builds (AddPrunerDefaults with its retry policy, kebab-case
/// endpoints and the in-memory transport), the orchestrator and fake services, driven only by messages.
/// </summary>
public sealed class When_the_orchestrator_runs_on_the_production_bus_wiring : IDisposable
{
    private readonly TemporaryFolder folder = new("wiring");

    [Fact]
    public async Task A_run_completes_and_its_status_is_answered()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Artifacts:Root"] = folder.Path,
            ["Health:File"] = Path.Combine(folder.Path, "health"),
        });
        builder.Services.AddSingleton<IProblemSource>(new FakeProblemSource(12));
        builder.Services.AddOrchestrator();
        builder.AddPrunerDefaults(bus =>
        {
            bus.AddOrchestratorConsumers();
            bus.AddConsumer<FakeRolloutWorker>();
            bus.AddConsumer<FakeRewardScorer>();
            bus.AddConsumer<FakeTrainer>();
            bus.AddConsumer<FakeEvaluator>();
        });
        using var host = builder.Build();
        await host.Services.GetRequiredService<IArtifactStore>().WriteTextAsync("models/builtin/config.json", "{}", CancellationToken.None);
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        var completed = new TaskCompletionSource<RunCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance,
            e => e.Handler<RunCompleted>(c => Task.FromResult(completed.TrySetResult(c.Message))));
        await handle.Ready;

        await (await bus.GetSendEndpoint(new Uri("queue:start-pruning-run"))).Send(new StartPruningRun { RunId = "wired", SamplesPerProblem = 2, ShardSize = 5 });

        var result = await completed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("wired", result.RunId);
        var status = await bus.CreateRequestClient<GetRunStatus>().GetResponse<RunStatus>(new GetRunStatus { RunId = "wired" });
        Assert.Equal("Completed", status.Message.State);
        Assert.Equal(3, status.Message.ShardsScored);
        await host.StopAsync();
    }

    public void Dispose() => folder.Dispose();
}
