using System.Diagnostics;
using System.Net.Sockets;

namespace PrunerPipeline.TestSupport;

/// <summary>
/// A real Azurite (npm <c>azurite@3.35.0</c>) with blob and table endpoints on free ports and a temporary location,
/// started for a test class and stopped after it. When node or Azurite is not installed, <see cref="UnavailableReason"/>
/// says so and the tests that need it skip with that message.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TemporaryFolder location = new("azurite");
    private readonly List<Process> processes = [];

    private AzuriteServer()
    {
    }

    public string? UnavailableReason { get; private set; }

    public bool IsAvailable => UnavailableReason is null;

    public int BlobPort { get; private set; }

    public int TablePort { get; private set; }

    /// <summary>Connection string for the well-known Azurite development account on this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static async Task<AzuriteServer> StartAsync()
    {
        var server = new AzuriteServer();
        var blob = FindExecutable("azurite-blob");
        var table = FindExecutable("azurite-table");
        if (FindExecutable("node") is null)
        {
            server.UnavailableReason = "node is not installed, so Azurite cannot run (install node 20 and `npm i -g azurite@3.35.0`)";
            return server;
        }
        if (blob is null || table is null)
        {
            server.UnavailableReason = "azurite-blob/azurite-table not on PATH (install with `npm i -g azurite@3.35.0`)";
            return server;
        }
        server.BlobPort = FreePort.Next();
        server.TablePort = FreePort.Next();
        server.Start(blob, $"--blobHost 127.0.0.1 --blobPort {server.BlobPort}");
        server.Start(table, $"--tableHost 127.0.0.1 --tablePort {server.TablePort}");
        await WaitForPortAsync(server.BlobPort);
        await WaitForPortAsync(server.TablePort);
        return server;
    }

    private void Start(string executable, string endpointArguments)
    {
        var info = new ProcessStartInfo(executable,
            $"{endpointArguments} --location {location.Path} --skipApiVersionCheck --disableTelemetry --silent --loose")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {port} within 30 s");
    }

    private static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        location.Dispose();
    }
}
