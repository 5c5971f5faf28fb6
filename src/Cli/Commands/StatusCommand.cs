using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.Cli.Embedded;
using Spectre.Console;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner status RUN</c>: asks the orchestrator (run saga) over the bus; when no orchestrator answers — always the
/// case for an embedded run that has ended — shows what the artifact store holds for the run instead.
/// Exit code 0 when the run is known, 1 when it is not.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The run id." };
        var bus = CliOptions.Bus();
        var store = CliOptions.Store();
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the orchestrator's answer.", DefaultValueFactory = _ => 10 };
        var command = new Command("status", "Show a run's state and progress.") { runId, bus, store, wait, CliOptions.Verbose() };
        command.SetAction((parse, ct) => StatusAsync(parse.GetValue(runId)!, CliOptions.TransportOf(parse.GetValue(bus)), parse.GetValue(store)!, parse.GetValue(wait), ct));
        return command;
    }

    private static async Task<int> StatusAsync(string runId, string transport, string storeRoot, int waitSeconds, CancellationToken ct)
    {
        if (ArtifactName.CheckRunId(runId) is { } problem)
        {
            Console.Error.WriteLine($"run: {problem}");
            return 2;
        }
        if (waitSeconds < 1)
        {
            Console.Error.WriteLine("--wait: must be at least 1 second");
            return 2;
        }

        RunStatus? status = null;
        if (transport == "rabbitmq")
        {
            using var host = PipelineClient.Build(transport, verbose: false);
            await host.StartAsync(ct);
            try
            {
                var client = host.Services.GetRequiredService<IBus>().CreateRequestClient<GetRunStatus>(RequestTimeout.After(s: waitSeconds));
                status = (await client.GetResponse<RunStatus>(new GetRunStatus { RunId = runId }, ct)).Message;
            }
            catch (RequestTimeoutException)
            {
                Console.Error.WriteLine($"no orchestrator answered within {waitSeconds} s; showing the artifact store instead");
            }
            finally
            {
                await host.StopWithinLimitAsync();
            }
        }

        if (status is not null && status.State != "Unknown")
        {
            Print(status);
            return 0;
        }

        var artifacts = transport == "rabbitmq"
            ? Hosting.PrunerHostingExtensions.CreateArtifactStore(CliConfiguration.ArtifactStore())
            : new FileSystemArtifactStore(storeRoot);
        var view = await RunStoreView.ReadAsync(artifacts, runId, ct);
        if (view.Settings is null)
        {
            Console.Error.WriteLine($"run {runId}: unknown (no orchestrator knows it and there is no runs/{runId}/run.json in the artifact store)");
            return 1;
        }
        PrintFields(
            ("run", runId),
            ("state", transport == "rabbitmq" ? "(no orchestrator knows it; from the artifact store)" : "(from the artifact store)"),
            ("method", view.Settings.Method.ToString()),
            ("scored shards", view.RewardShards.ToString()),
            ("checkpoints", view.Checkpoints.ToString()),
            ("reports", view.Reports.Count == 0 ? "-" : string.Join('\n', view.Reports)));
        return 0;
    }

    private static void Print(RunStatus status) => PrintFields(
        ("run", status.RunId),
        ("state", status.State),
        ("shards sampled", $"{status.ShardsSampled}/{status.ShardsTotal}"),
        ("shards scored", $"{status.ShardsScored}/{status.ShardsTotal}"),
        ("checkpoints", status.CheckpointsPublished.ToString()),
        ("report", status.ReportBlob ?? "-"),
        ("reason", status.Reason ?? "-"));

    /// <summary>A two-column table: stays readable in a narrow or non-interactive terminal, where long reasons wrap.</summary>
    private static void PrintFields(params (string Name, string Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Text(name), new Text(value));
        }
        AnsiConsole.Write(grid);
    }
}
