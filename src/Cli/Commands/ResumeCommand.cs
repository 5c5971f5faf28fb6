using MassTransit;
using PrunerPipeline.Cli.Embedded;
using Spectre.Console;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner resume RUN [--bus inmemory|rabbitmq]</c>: continues a run from its last completed stage, reusing the samples,
/// rewards and checkpoints already stored, and follows it like <c>pruner run</c>.
/// Distributed: asks the run saga (<see cref="ResumeRun"/>), which resumes a Faulted run and refuses any other in one line.
/// Embedded: the run's state lived in the process that ran it, so the stored run (<c>runs/{run}/run.json</c>) is run again
/// in this one; every stage answers from what is stored (complete shards are not resampled, the trainer starts from its
/// newest checkpoint, a stored report is not recomputed). A run whose final report is stored is refused.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The run id of a Faulted (or, embedded, interrupted) run." };
        var bus = CliOptions.Bus();
        var store = CliOptions.Store();
        var verbose = CliOptions.Verbose();
        var timeout = new Option<int>("--timeout") { Description = "Give up following after this many seconds (0 = wait until the run ends).", DefaultValueFactory = _ => 0 };
        var command = new Command("resume", "Continue a faulted run from its last completed stage and follow it.") { runId, bus, store, timeout, verbose };
        command.SetAction((parse, ct) => ResumeAsync(parse.GetValue(runId)!, CliOptions.TransportOf(parse.GetValue(bus)), parse.GetValue(store)!,
            parse.GetValue(timeout), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> ResumeAsync(string runId, string transport, string storeRoot, int timeoutSeconds, bool verbose, CancellationToken ct)
    {
        if (ArtifactName.CheckRunId(runId) is { } problem)
        {
            Console.Error.WriteLine($"run: {problem}");
            return 2;
        }
        if (timeoutSeconds < 0)
        {
            Console.Error.WriteLine("--timeout: must be 0 (no limit) or a number of seconds");
            return 2;
        }
        return transport == "inmemory"
            ? await ResumeEmbeddedAsync(runId, storeRoot, timeoutSeconds, verbose, ct)
            : await RunCommand.WithPipelineAsync(transport, storeRoot, verbose, runId, baseModel: null,
                bus => RunCommand.FollowAsync(bus, runId, timeoutSeconds, transport, _ => AskSagaAsync(bus, runId, ct), ct), ct);
    }

    private static async Task<int> ResumeEmbeddedAsync(string runId, string storeRoot, int timeoutSeconds, bool verbose, CancellationToken ct)
    {
        var store = new FileSystemArtifactStore(storeRoot);
        var view = await RunStoreView.ReadAsync(store, runId, ct);
        if (view.Settings is not { } run)
        {
            Console.Error.WriteLine($"run {runId}: unknown (no {ArtifactLayout.RunSpec(runId)} in the store {Path.GetFullPath(storeRoot)}); nothing to resume");
            return 1;
        }
        if (await view.FinalReportAsync(store, ct) is { } report)
        {
            Console.Error.WriteLine($"run {runId}: already completed (final report {report}); nothing to resume");
            return 1;
        }
        AnsiConsole.MarkupLine(Markup.Escape(
            $"resuming run {runId} from the store: {view.RewardShards} scored shard(s), {view.Checkpoints} checkpoint(s), {view.Reports.Count} report(s) reused"));
        return await RunCommand.WithPipelineAsync("inmemory", storeRoot, verbose, runId, run.BaseModel,
            bus => RunCommand.SubmitAndFollowAsync(bus, run, timeoutSeconds, "inmemory", ct), ct);
    }

    /// <summary>Asks the run saga to resume; prints its answer in one line. False when refused or when no orchestrator answers.</summary>
    private static async Task<bool> AskSagaAsync(IBus bus, string runId, CancellationToken ct)
    {
        try
        {
            var answer = await bus.CreateRequestClient<ResumeRun>(RequestTimeout.After(s: 10))
                .GetResponse<RunResumed, ResumeRefused>(new ResumeRun { RunId = runId }, ct);
            if (answer.Is(out Response<RunResumed>? resumed))
            {
                AnsiConsole.MarkupLine(Markup.Escape($"run {runId} resumed: {resumed.Message.Stage}, waiting for {resumed.Message.Pending}"));
                return true;
            }
            if (answer.Is(out Response<ResumeRefused>? refused))
            {
                Console.Error.WriteLine($"run {runId}: not resumed: {refused.Message.Reason}");
            }
            return false;
        }
        catch (RequestTimeoutException)
        {
            Console.Error.WriteLine($"run {runId}: no orchestrator answered within 10 s (is it running and on the same RabbitMQ?)");
            return false;
        }
    }
}
