using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.Hosting.Tests.Wiring;

public sealed class When_a_service_host_is_built_with_the_defaults : IDisposable
{
    private readonly TemporaryFolder temp = new("wiring");

    [Fact]
    public async Task The_in_memory_bus_delivers_to_a_kebab_case_endpoint_and_the_store_uses_the_configured_root()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Artifacts:Root"] = temp.Path,
            ["Health:File"] = Path.Combine(temp.Path, "health"),
        });
        var received = new TaskCompletionSource<CancelRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        builder.Services.AddSingleton(received);
        builder.AddPrunerDefaults(bus => bus.AddConsumer<CancelRunProbeConsumer>());
        using var host = builder.Build();

        await AssertDeliversAndStoresAsync(host, received);
    }

    [Fact]
    public async Task A_service_program_host_reads_its_arguments_and_has_its_own_services_and_consumers()
    {
        var received = new TaskCompletionSource<CancelRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = PrunerServiceHost.Build(
            [$"--Artifacts:Root={temp.Path}", $"--Health:File={Path.Combine(temp.Path, "health")}"],
            services => services.AddSingleton(received),
            bus => bus.AddConsumer<CancelRunProbeConsumer>());

        await AssertDeliversAndStoresAsync(host, received);
    }

    private async Task AssertDeliversAndStoresAsync(IHost host, TaskCompletionSource<CancelRun> received)
    {
        await host.StartAsync();

        var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri("queue:cancel-run-probe"));
        await endpoint.Send(new CancelRun { RunId = "r1" });
        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("r1", message.RunId);
        var store = Assert.IsType<FileSystemArtifactStore>(host.Services.GetRequiredService<IArtifactStore>());
        Assert.Equal(Path.GetFullPath(temp.Path), store.Root);
        Assert.NotNull(host.Services.GetRequiredService<ModelLocator>());
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Bus:Transport", "kafka", "Bus:Transport 'kafka' is not supported; allowed: inmemory, rabbitmq")]
    [InlineData("Artifacts:Provider", "s3", "Artifacts:Provider 's3' is not supported; allowed: filesystem, azure")]
    public void An_unknown_transport_or_store_is_a_clear_error(string key, string value, string message)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value, ["Artifacts:Root"] = temp.Path });

        var error = Assert.ThrowsAny<Exception>(() =>
        {
            builder.AddPrunerDefaults();
            using var host = builder.Build();
            host.Services.GetRequiredService<IArtifactStore>();
        });

        Assert.Contains(message, error.Message);
    }

    public void Dispose() => temp.Dispose();
}

public sealed class CancelRunProbeConsumer(TaskCompletionSource<CancelRun> received) : IConsumer<CancelRun>
{
    public Task Consume(ConsumeContext<CancelRun> context)
    {
        received.TrySetResult(context.Message);
        return Task.CompletedTask;
    }
}
