using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.Cli.Embedded;

namespace PrunerPipeline.Cli.Commands;

/// <summary><c>pruner cancel RUN</c>: publishes <see cref="CancelRun"/> on the distributed bus and waits for <see cref="RunCancelled"/>.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The run id." };
        var reason = new Option<string>("--reason") { Description = "Why (kept in the run's status).", DefaultValueFactory = _ => "cancelled by user" };
        var bus = CliOptions.Bus();
        var command = new Command("cancel", "Cancel a running run.") { runId, reason, bus };
        command.SetAction((parse, ct) => CancelAsync(parse.GetValue(runId)!, parse.GetValue(reason)!, CliOptions.TransportOf(parse.GetValue(bus)), ct));
        return command;
    }

    private static async Task<int> CancelAsync(string runId, string reason, string transport, CancellationToken ct)
    {
        if (ArtifactName.CheckRunId(runId) is { } problem)
        {
            Console.Error.WriteLine($"run: {problem}");
            return 2;
        }
        if (transport != "rabbitmq")
        {
            Console.Error.WriteLine("--bus: cancel reaches a pipeline running in other processes, so it needs --bus rabbitmq; an embedded run stops with Ctrl+C");
            return 2;
        }

        using var host = PipelineClient.Build(transport, verbose: false);
        await host.StartAsync(ct);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var status = await bus.CreateRequestClient<GetRunStatus>(RequestTimeout.After(s: 10))
                .GetResponse<RunStatus>(new GetRunStatus { RunId = runId }, ct);
            if (status.Message.State is "Unknown" or "Completed" or "Faulted" or "Cancelled" or "Rejected")
            {
                Console.Error.WriteLine($"run {runId}: {status.Message.State}, nothing to cancel");
                return 1;
            }

            await using var follower = await RunFollower.ConnectAsync(bus, runId, _ => { }, ct);
            await bus.Publish(new CancelRun { RunId = runId, Reason = reason }, ct);
            var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Console.WriteLine($"run {runId}: {outcome.State} ({RunEventText.Describe(outcome.FinalEvent)})");
            return outcome.State == "Cancelled" ? 0 : 1;
        }
        catch (RequestTimeoutException)
        {
            Console.Error.WriteLine($"run {runId}: no orchestrator answered within 10 s (is it running and on the same RabbitMQ?)");
            return 1;
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"run {runId}: cancel sent, but no RunCancelled within 30 s");
            return 1;
        }
        finally
        {
            await host.StopWithinLimitAsync();
        }
    }
}
