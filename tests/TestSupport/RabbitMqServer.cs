using System.Diagnostics;

namespace PrunerPipeline.TestSupport;

/// <summary>
/// A private RabbitMQ node started with the repository's own <c>infra/rabbitmq.sh</c> (Debian's rabbitmq-server,
/// management plugin, a fresh user) on free ports, stopped on dispose. Unavailable (with the reason) when
/// rabbitmq-server is not installed.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private readonly TemporaryFolder folder = new("rabbitmq");
    private Dictionary<string, string> environment = [];

    private RabbitMqServer()
    {
    }

    public string? UnavailableReason { get; private set; }

    public bool IsAvailable => UnavailableReason is null;

    public int Port { get; private set; }

    public int ManagementPort { get; private set; }

    public string Username => "pruner-test";

    public string Password { get; } = "t" + Guid.NewGuid().ToString("N");

    /// <summary>The management console's own user (the services' user cannot log in there).</summary>
    public string ConsoleUsername => "pruner-test-console";

    public string ConsolePassword { get; } = "c" + Guid.NewGuid().ToString("N");

    public static async Task<RabbitMqServer> StartAsync()
    {
        var server = new RabbitMqServer();
        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
        {
            server.UnavailableReason = "rabbitmq-server is not installed (apt-get install -y rabbitmq-server; .ci/run does it)";
            return server;
        }
        // Clustering uses port + 20000, so stay below 45535.
        server.Port = FreePortBelow(40000);
        server.ManagementPort = FreePort.Next();
        server.environment = new Dictionary<string, string>
        {
            ["PRUNER_INFRA_DIR"] = server.folder.Path,
            ["PRUNER_RABBITMQ_PORT"] = server.Port.ToString(),
            ["PRUNER_RABBITMQ_MANAGEMENT_PORT"] = server.ManagementPort.ToString(),
            ["PRUNER_RABBITMQ_USER"] = server.Username,
            ["PRUNER_RABBITMQ_PASSWORD"] = server.Password,
            ["PRUNER_RABBITMQ_CONSOLE_USER"] = server.ConsoleUsername,
            ["PRUNER_RABBITMQ_CONSOLE_PASSWORD"] = server.ConsolePassword,
        };
        var (code, output) = await server.ScriptAsync("start");
        if (code != 0)
        {
            throw new InvalidOperationException($"infra/rabbitmq.sh start failed ({code}): {output}");
        }
        return server;
    }

    private async Task<(int Code, string Output)> ScriptAsync(string verb)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Find(), "infra", "rabbitmq.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePortBelow(int limit)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20000, limit);
            try
            {
                using var a = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                using var b = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port + 20000);
                a.Start();
                b.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }
        throw new InvalidOperationException("no free port pair found");
    }

    public async ValueTask DisposeAsync()
    {
        if (IsAvailable && environment.Count > 0)
        {
            await ScriptAsync("stop");
        }
        folder.Dispose();
    }
}
