namespace PrunerPipeline.Hosting.Messaging;

/// <summary>Configuration section <c>Bus</c>. Credentials come from the environment (<c>Bus__Username</c>, <c>Bus__Password</c>), never from files in the repository.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary><c>inmemory</c> (default, one process) or <c>rabbitmq</c>.</summary>
    public string Transport { get; set; } = "inmemory";

    public string Host { get; set; } = "localhost";

    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Default prefetch per receive endpoint; rollout workers override it to 1 so shards spread over workers.</summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>How long shutdown waits for in-flight messages before cancelling them (they are then returned to the queue).</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Retries after the first failed attempt, with exponential back-off between these bounds; then the message goes to <c>_error</c>.</summary>
    public int RetryLimit { get; set; } = 4;

    public int RetryMinIntervalMilliseconds { get; set; } = 200;

    public int RetryMaxIntervalMilliseconds { get; set; } = 10_000;

    public bool IsRabbitMq => string.Equals(Transport, "rabbitmq", StringComparison.OrdinalIgnoreCase);
}
