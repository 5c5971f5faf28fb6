using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.Cli.Embedded;
using PrunerPipeline.Contracts;
using PrunerPipeline.EvalService.Reports;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// The one-command embedded demo: built-in model → length-disharmony pilot → O1-Pruner and its baselines on the same
/// samples → one comparison report. Each stage is timed; a failure names its stage.
/// </summary>
public sealed class DemoRunner(DemoSettings settings, IStageProgress progress)
{
    private readonly Dictionary<string, double> timings = [];
    private readonly List<string> notes = [];

    /// <summary>O1-Pruner (λ from the settings), SFT, DPO and the Fast-solving prompt.</summary>
    public Task<EvaluationReport> RunDemoAsync(CancellationToken ct)
    {
        var stamp = Stamp();
        var plans = settings.Methods.Select(key =>
        {
            var run = settings.RunFor($"demo-{stamp}-{key}", key, settings.Lambda);
            return new PlannedRun(key.Key, MethodRegistry.Default[key].Label(run), run);
        }).ToList();
        return RunAsync("O1-Pruner vs baselines on the built-in long-thought model", plans, pilot: true, ct);
    }

    /// <summary>The paper's Table 3: one O1-Pruner run per λ, all on the same samples.</summary>
    public Task<EvaluationReport> RunAblationAsync(IReadOnlyList<double> lambdas, CancellationToken ct)
    {
        var stamp = Stamp();
        var plans = lambdas.Select(lambda =>
        {
            var key = F($"lambda-{lambda:0.##}");
            return new PlannedRun(key, F($"O1-Pruner λ={lambda:0.##}"), settings.RunFor($"ablate-{stamp}-{key}", PruningMethod.O1Pruner, lambda));
        }).ToList();
        return RunAsync("O1-Pruner λ ablation on the built-in long-thought model", plans, pilot: false, ct);
    }

    private async Task<EvaluationReport> RunAsync(string title, IReadOnlyList<PlannedRun> plans, bool pilot, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var host = EmbeddedPipeline.Build(settings.StoreRoot, HostConfiguration());
        // SIGINT/SIGTERM cancel ct (System.CommandLine; the host's lifetime leaves signals alone). Whoever else stops
        // the host must end the wait too, or the demo would wait forever for a bus that no longer delivers.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        ct = stopping.Token;
        await Stage("host", "starting the embedded pipeline", () => host.StartAsync(ct));
        try
        {
            var store = host.Services.GetRequiredService<IArtifactStore>();
            await Stage("builtinModel", "built-in model", () => DemoStages.EnsureBuiltinModelAsync(host.Services, settings, progress, notes, ct));
            PilotSummary? pilotSummary = null;
            if (pilot && settings.PilotProblems > 0)
            {
                await Stage("pilot", "length-disharmony pilot", async () =>
                    pilotSummary = await DemoStages.RunPilotAsync(host.Services, settings, progress, notes, ct));
            }

            IReadOnlyList<FinishedRun> finished = [];
            await Stage("runs", "pruning runs", async () =>
                finished = await new ComparisonRunner(host.Services.GetRequiredService<IBus>(), progress).RunAllAsync(plans, ct));
            foreach (var run in finished)
            {
                foreach (var (stage, seconds) in run.StageSeconds)
                {
                    timings[$"{run.Plan.Key}.{stage}"] = seconds;
                }
            }

            EvaluationReport report = null!;
            await Stage("report", "report", async () =>
            {
                timings["total"] = total.Elapsed.TotalSeconds;
                report = await ComparisonReportBuilder.BuildAsync(title, store, finished, timings, settings.Describe(), pilotSummary, notes, ct);
                await ReportDocuments.WriteToFolderAsync(report, settings.OutputDirectory, ct);
            });
            return report;
        }
        finally
        {
            // Within 4 s, also after Ctrl+C: the runs' consumers are cancelled; a host that will not stop is abandoned.
            if (await host.StopWithinLimitAsync())
            {
                host.Dispose();
            }
        }
    }

    private Dictionary<string, string?> HostConfiguration()
    {
        var configuration = new Dictionary<string, string?>
        {
            // Only the final checkpoint matters to the comparison; intermediate ones would double the evaluation time.
            ["Eval:EvaluateIntermediateCheckpoints"] = "false",
            // Evaluate the way the models are sampled for training: greedy decoding of the built-in reference model
            // falls into endless re-checks (36.5 % accuracy, mean 230 tokens, p90 at the 384-token limit), which says
            // more about argmax than about the model.
            ["Eval:SamplesPerProblem"] = DemoSettings.EvalSamplesPerProblem.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Eval:Temperature"] = "1.0",
            ["Eval:TopP"] = "1.0",
            // The progress bars tell the story; the services' per-batch log lines are for --verbose.
            ["Logging:LogLevel:PrunerPipeline"] = "Warning",
            ["Models:CacheRoot"] = Path.Combine(settings.StoreRoot, "..", "models"),
        };
        if (settings.Verbose)
        {
            configuration["Logging:LogLevel:Default"] = "Information";
            configuration["Logging:LogLevel:PrunerPipeline"] = "Information";
        }
        foreach (var (key, value) in settings.Configuration)
        {
            configuration[key] = value;
        }
        return configuration;
    }

    private async Task Stage(string key, string name, Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await work();
        }
        catch (DemoStageFailedException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new DemoStageFailedException(name, $"{e.GetType().Name}: {e.Message}", e);
        }
        finally
        {
            timings[key] = timings.GetValueOrDefault(key) + clock.Elapsed.TotalSeconds;
        }
    }

    private static string Stamp() => DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
