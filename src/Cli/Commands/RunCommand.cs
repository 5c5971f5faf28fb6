using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.Cli.Embedded;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Hosting.Messaging;
using Spectre.Console;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner run run.json [--bus inmemory|rabbitmq]</c>: submits a <see cref="StartPruningRun"/> and follows the run
/// until it completes, faults, is rejected or cancelled. Exit code 0 only for a completed run.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("run") { Description = "A JSON StartPruningRun, e.g. {\"runId\": \"my-run\", \"samplesPerProblem\": 8}." };
        var bus = CliOptions.Bus();
        var store = CliOptions.Store();
        var verbose = CliOptions.Verbose();
        var timeout = new Option<int>("--timeout") { Description = "Give up following after this many seconds (0 = wait until the run ends).", DefaultValueFactory = _ => 0 };
        var command = new Command("run", "Start a pruning run and follow its progress.") { file, bus, store, timeout, verbose };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, CliOptions.TransportOf(parse.GetValue(bus)), parse.GetValue(store)!,
            parse.GetValue(timeout), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, string transport, string storeRoot, int timeoutSeconds, bool verbose, CancellationToken ct)
    {
        if (timeoutSeconds < 0)
        {
            Console.Error.WriteLine("--timeout: must be 0 (no limit) or a number of seconds");
            return 2;
        }
        if (!TryRead(file, out var run, out var problem))
        {
            Console.Error.WriteLine($"run: {problem}");
            return 2;
        }

        return await WithPipelineAsync(transport, storeRoot, verbose, run.RunId, run.BaseModel, bus => SubmitAndFollowAsync(bus, run, timeoutSeconds, transport, ct), ct);
    }

    /// <summary>
    /// Starts the pipeline (embedded: every service; distributed: a bus client), runs <paramref name="follow"/> and stops
    /// the host within its limit. Exit code 0 only when the followed run completed.
    /// </summary>
    /// <param name="baseModel">The run's base model when known here: a local folder the user named in their run file may be read (embedded).</param>
    internal static async Task<int> WithPipelineAsync(string transport, string storeRoot, bool verbose, string runId, string? baseModel,
        Func<IBus, Task<RunOutcome?>> follow, CancellationToken ct)
    {
        var host = transport == "inmemory"
            ? EmbeddedPipeline.Build(storeRoot, verbose ? new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" } : null)
            : PipelineClient.Build(transport, verbose);
        var exitCode = 1;
        if (transport == "inmemory" && baseModel is not null && ModelLocator.IsLocalReference(baseModel) && !HubCache.IsHubId(baseModel))
        {
            // The user named this folder in their own run file: this process may read it (Models:AllowedRoots).
            host.Services.GetRequiredService<ModelLocator>().AllowRoot(baseModel);
        }
        try
        {
            await host.StartAsync(ct);
            var outcome = await follow(host.Services.GetRequiredService<IBus>());
            if (outcome is null)
            {
                return exitCode;
            }
            if (outcome.Succeeded && transport == "inmemory")
            {
                AnsiConsole.MarkupLine($"outputs: [blue]{Markup.Escape(Path.GetFullPath(Path.Combine(storeRoot, "runs", runId)))}[/]");
            }
            exitCode = outcome.Succeeded ? 0 : 1;
            return exitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"run {runId}: interrupted while starting the pipeline");
            return exitCode;
        }
        finally
        {
            // Embedded: stopping the host cancels the run's consumers (the run ends with the process). A host that would
            // not stop in time still runs native work that would hold up a normal exit: leave at once.
            if (await host.StopWithinLimitAsync())
            {
                host.Dispose();
            }
            else
            {
                HostStopping.ExitNow(exitCode);
            }
        }
    }

    /// <summary>Connects the follower, submits the run on the <c>start-pruning-run</c> queue and prints every event until the end.</summary>
    public static Task<RunOutcome?> SubmitAndFollowAsync(IBus bus, StartPruningRun run, int timeoutSeconds, string transport, CancellationToken ct) =>
        FollowAsync(bus, run.RunId, timeoutSeconds, transport, async follower =>
        {
            await follower.SubmitAsync(bus, run, ct);
            AnsiConsole.MarkupLine($"submitted run [bold]{Markup.Escape(run.RunId)}[/] ({run.Method}) on the {transport} bus");
            return true;
        }, ct);

    /// <summary>
    /// Connects the follower, then <paramref name="start"/>s the run (submit, resume; false: it did not start, and its
    /// one-line reason is printed already) and prints every event until the run ends, the timeout passes or <paramref name="ct"/> is cancelled.
    /// </summary>
    public static async Task<RunOutcome?> FollowAsync(IBus bus, string runId, int timeoutSeconds, string transport, Func<RunFollower, Task<bool>> start, CancellationToken ct)
    {
        var lastProgress = new Dictionary<string, long>();
        var lastEvent = DateTime.UtcNow;
        await using var follower = await RunFollower.ConnectAsync(bus, runId, message =>
        {
            lastEvent = DateTime.UtcNow;
            // Progress events can be many per second: print each stage at most every 10 %.
            if (message is StageProgress p && p.Total > 0)
            {
                var decile = p.Done * 10 / p.Total;
                lock (lastProgress)
                {
                    if (lastProgress.TryGetValue(p.Stage, out var last) && last == decile)
                    {
                        return;
                    }
                    lastProgress[p.Stage] = decile;
                }
            }
            var colour = message switch
            {
                RunCompleted => "green",
                RunFaulted or RunRejected => "red",
                RunCancelled => "yellow",
                _ => "grey",
            };
            AnsiConsole.MarkupLine($"[{colour}]{DateTime.Now:HH:mm:ss} {Markup.Escape(runId)} {Markup.Escape(RunEventText.Describe(message))}[/]");
        }, ct);

        if (!await start(follower))
        {
            return null;
        }

        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _ = WarnWhenSilentAsync(() => lastEvent, transport, stopPolling.Token);
        try
        {
            // On RabbitMQ the follower's temporary queue does not survive a broker restart: also ask the saga now and then.
            var ended = transport == "inmemory"
                ? follower.Outcome
                : Task.WhenAny(follower.Outcome, PollUntilFinishedAsync(bus, runId, stopPolling.Token)).Unwrap();
            var wait = ended.WaitAsync(ct);
            return timeoutSeconds > 0 ? await wait.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds), ct) : await wait;
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"run {runId}: no end after {timeoutSeconds} s; it continues if the pipeline is distributed (see `pruner status {runId}`)");
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine(transport == "inmemory"
                ? $"run {runId}: interrupted; the embedded pipeline stops with this process"
                : $"run {runId}: stopped following; the run continues (`pruner status {runId}`, `pruner cancel {runId}`)");
            return null;
        }
        finally
        {
            await stopPolling.CancelAsync();
        }
    }

    /// <summary>A run that says nothing for minutes usually waits for a service nobody runs; say so once.</summary>
    private static async Task WarnWhenSilentAsync(Func<DateTime> lastEvent, string transport, CancellationToken ct)
    {
        var silence = TimeSpan.FromMinutes(3);
        try
        {
            while (DateTime.UtcNow - lastEvent() < silence)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), ct);
            }
            Console.Error.WriteLine(transport == "inmemory"
                ? $"no run event for {silence.TotalMinutes:F0} minutes: a long step, or a service missing from the embedded pipeline (src/Cli/Embedded/EmbeddedPipeline.cs)"
                : $"no run event for {silence.TotalMinutes:F0} minutes: a long step, or no process consumes the current step's queue (check the RabbitMQ console)");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static readonly string[] FinalStates = ["Completed", "Faulted", "Cancelled", "Rejected"];

    private static async Task<RunOutcome> PollUntilFinishedAsync(IBus bus, string runId, CancellationToken ct)
    {
        var client = bus.CreateRequestClient<GetRunStatus>(RequestTimeout.After(s: 10));
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            try
            {
                var status = (await client.GetResponse<RunStatus>(new GetRunStatus { RunId = runId }, ct)).Message;
                if (FinalStates.Contains(status.State))
                {
                    AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss} {Markup.Escape(runId)} status: {status.State}{Markup.Escape(status.Reason is null ? "" : " (" + status.Reason + ")")}[/]");
                    return new RunOutcome(runId, status.State, status);
                }
            }
            catch (RequestTimeoutException)
            {
                // The orchestrator or the broker is restarting: ask again later.
            }
        }
    }

    private static bool TryRead(FileInfo file, out StartPruningRun run, out string problem)
    {
        run = null!;
        if (!file.Exists)
        {
            problem = $"file '{file.FullName}' does not exist";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file.FullName));
            if (StrictJson.UnknownFieldReasons<StartPruningRun>(document.RootElement, ArtifactStoreExtensions.JsonOptions) is [var unknown, ..])
            {
                problem = $"'{file.Name}': {unknown}";
                return false;
            }
            run = document.RootElement.Deserialize<StartPruningRun>(ArtifactStoreExtensions.JsonOptions)!;
            if (run is null)
            {
                problem = $"'{file.Name}' holds JSON null, not a StartPruningRun object";
                return false;
            }
            if (ArtifactName.CheckRunId(run.RunId) is { } badId)
            {
                problem = $"'{file.Name}': {badId}";
                return false;
            }
            problem = "";
            return true;
        }
        catch (JsonException e)
        {
            problem = $"'{file.Name}' is not a valid StartPruningRun: {e.Message}";
            return false;
        }
    }
}
