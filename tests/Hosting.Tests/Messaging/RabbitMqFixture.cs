namespace PrunerPipeline.Hosting.Tests.Messaging;

/// <summary>One private RabbitMQ node per test class that needs it.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public RabbitMqServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RabbitMqServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Skips the calling test where no RabbitMQ node could be started on this machine.</summary>
    public void SkipUnlessAvailable() => Skip.IfNot(Server.IsAvailable, $"RabbitMQ unavailable: {Server.UnavailableReason}");

    /// <summary>The bus settings that put a host on this node.</summary>
    public Dictionary<string, string?> BusSettings() => new()
    {
        ["Bus:Transport"] = "rabbitmq",
        ["Bus:Host"] = "127.0.0.1",
        ["Bus:Port"] = Server.Port.ToString(),
        ["Bus:Username"] = Server.Username,
        ["Bus:Password"] = Server.Password,
    };
}

/// <summary>Test classes that share one RabbitMQ node (starting one takes several seconds).</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "rabbitmq";
}
