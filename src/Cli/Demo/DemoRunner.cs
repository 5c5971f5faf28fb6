using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.Cli.Embedded;
using PrunerPipeline.EvalService.Reports;
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
        var plans = settings.Methods.SelectMany(key =>
        {
            var method = MethodRegistry.Default[key];
            if (method.Online)
            {
                // One online run per length reward: GRPO with Kimi's, ShorterBetter's, ... reward.
                return settings.OnlineRewards.Select(reward =>
                {
                    var online = settings.OnlineRunFor($"demo-{stamp}-{key}-{reward}", key, reward);
                    // R_LH on-policy against the reference's pre-sampled L̄_ref and Ā_ref (the demo's O1-Pruner run), as AdaptThink
                    // holds its policy to the reference's accuracy; without that run, against each group's own samples.
                    if (reward == LengthRewardNames.Rlh && settings.Methods.TakeWhile(m => m != key).Contains(PruningMethod.O1Pruner))
                    {
                        online = online with { BaselineRun = $"demo-{stamp}-{PruningMethod.O1Pruner}" };
                    }
                    return new PlannedRun($"{key.Key}-{reward}", method.Label(online), online);
                }).ToArray();
            }
            var run = settings.RunFor($"demo-{stamp}-{key}", key, settings.Lambda);
            var plan = new PlannedRun(key.Key, MethodRegistry.Default[key].Label(run), run);
            if (key != PruningMethod.O1Pruner || settings.Rounds == 1)
            {
                return [plan];
            }
            // Iterated O1-Pruner beside the paper's: its first round is the one-round run (same samples, same seed).
            var iterated = run with { RunId = F($"demo-{stamp}-{key}-x{settings.Rounds}"), Rounds = settings.Rounds, Baseline = settings.Baseline };
            return new[] { plan, new PlannedRun(F($"{key.Key}-rounds{settings.Rounds}"), MethodRegistry.Default[key].Label(iterated), iterated) };
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

    /// <summary>GRPO's length knob: one online run per target length / length limit of <paramref name="reward"/> (l1max or thinkprune).</summary>
    public Task<EvaluationReport> RunLengthAblationAsync(IReadOnlyList<int> targets, string reward, CancellationToken ct)
    {
        var stamp = Stamp();
        var grpo = MethodRegistry.Default.All.First(m => m.Online);
        var plans = targets.Select(target =>
        {
            var key = F($"{reward}-{target}");
            var run = (settings with { LengthTarget = target }).OnlineRunFor($"ablate-{stamp}-{key}", grpo.Key, reward);
            return new PlannedRun(key, grpo.Label(run), run);
        }).ToList();
        return RunAsync(F($"{grpo.Name} {reward} length-target ablation on the built-in long-thought model"), plans, pilot: false, ct);
    }

    /// <summary>GRPO's KL knob: one online run per β of the KL penalty to the base model, scored with <paramref name="reward"/>.</summary>
    public Task<EvaluationReport> RunKlAblationAsync(IReadOnlyList<double> coefficients, string reward, CancellationToken ct)
    {
        var stamp = Stamp();
        var grpo = MethodRegistry.Default.All.First(m => m.Online);
        var plans = coefficients.Select(beta =>
        {
            var key = F($"{reward}-kl{beta:0.####}");
            var run = settings.OnlineRunFor($"ablate-{stamp}-{key}", grpo.Key, reward) with { KlCoefficient = beta };
            return new PlannedRun(key, F($"{grpo.Label(run)}, β {beta:0.####}"), run);
        }).ToList();
        return RunAsync(F($"{grpo.Name} {reward} KL-coefficient ablation on the built-in long-thought model"), plans, pilot: false, ct);
    }

    /// <summary>
    /// <c>pruner tune</c>: every grid point of every trained method on the same samples, evaluated on the validation
    /// split; one host per DPO β (β is a trainer setting, not a run field). Writes the trials' report and tuning.json.
    /// </summary>
    public async Task<EvaluationReport> RunTuningAsync(TuningGrid grid, Action<TuningResult> picked, CancellationToken ct)
    {
        var stamp = Stamp();
        var total = Stopwatch.StartNew();
        var trained = grid.Methods.Where(m => MethodRegistry.Default[m].Trains).ToList();
        IReadOnlyList<double?> betas = trained.Contains(PruningMethod.Dpo) ? grid.DpoBetas.Select(b => (double?)b).ToList() : [null];
        var trials = new List<TuningTrial>();
        var results = new Dictionary<string, ModelResult>();
        var curves = new Dictionary<string, IReadOnlyList<TrainingCurvePoint>>();
        ModelResult? reference = null;
        foreach (var (beta, pass) in betas.Select((b, i) => (b, i)))
        {
            var plans = new List<PlannedRun>();
            foreach (var method in trained.Where(m => m == PruningMethod.Dpo || pass == 0))
            {
                foreach (var lr in grid.LearningRates)
                {
                    var usesBeta = method == PruningMethod.Dpo && beta is not null;
                    var key = usesBeta ? F($"{method.Key}-lr{lr:0.#######}-beta{beta:0.###}") : F($"{method.Key}-lr{lr:0.#######}");
                    var label = usesBeta ? F($"{MethodRegistry.Default[method].Name} lr {lr:0.#######} β {beta:0.###}") : F($"{MethodRegistry.Default[method].Name} lr {lr:0.#######}");
                    plans.Add(new PlannedRun(key, label, settings.RunFor($"tune-{stamp}-{key}", method, settings.Lambda) with { LearningRate = lr }));
                }
            }
            if (plans.Count == 0)
            {
                continue;
            }
            var extra = beta is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["Trainer:DpoBeta"] = F($"{beta}") };
            var report = await RunAsync(F($"Tuning on {settings.EvaluationDataset}"), plans, pilot: false, ct, extra, write: false);
            reference ??= report.Reference;
            foreach (var plan in plans)
            {
                var result = report.Methods[plan.Key];
                results[plan.Key] = result;
                if (report.TrainingCurves.TryGetValue(plan.Key, out var curve))
                {
                    curves[plan.Key] = curve;
                }
                trials.Add(new TuningTrial(plan.Run.Method.Key, plan.Run.LearningRate, plan.Run.Method == PruningMethod.Dpo ? beta : null,
                    result.Accuracy, result.MeanLength, result.Aes ?? double.NaN));
            }
        }
        if (reference is null)
        {
            throw new DemoStageFailedException("tune", "no trained method to tune (fastprompt trains nothing)");
        }
        timings["total"] = total.Elapsed.TotalSeconds;
        var tuning = TuningResult.Pick(grid, F($"{settings.EvaluationDataset}, first {settings.EvalProblems} problems × {DemoSettings.EvalSamplesPerProblem} samples at temperature 1"),
            reference, trials);
        var combined = new EvaluationReport
        {
            Title = "Learning-rate (and DPO β) tuning on the synthetic validation split",
            Settings = new Dictionary<string, string>(settings.Describe()) { ["tuning"] = tuning.Describe() },
            Reference = reference,
            Methods = results,
            Timings = timings,
            TrainingCurves = curves,
            Notes = notes,
        };
        await ReportDocuments.WriteToFolderAsync(combined, settings.OutputDirectory, ct);
        await tuning.WriteAsync(Path.Combine(settings.OutputDirectory, TuningResult.FileName), ct);
        picked(tuning);
        return combined;
    }

    private async Task<EvaluationReport> RunAsync(string title, IReadOnlyList<PlannedRun> plans, bool pilot, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? extraConfiguration = null, bool write = true)
    {
        var total = Stopwatch.StartNew();
        var configuration = HostConfiguration();
        foreach (var (key, value) in extraConfiguration ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        var host = EmbeddedPipeline.Build(settings.StoreRoot, configuration);
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
                if (write)
                {
                    await ReportDocuments.WriteToFolderAsync(report, settings.OutputDirectory, ct);
                }
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
        if (settings.DpoBeta is { } beta)
        {
            configuration["Trainer:DpoBeta"] = beta.ToString(CultureInfo.InvariantCulture);
        }
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
