using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PrunerPipeline.Cli.Disharmony;
using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.EvalService.Reports;
using PrunerPipeline.Grading;
using PrunerPipeline.Hosting.Datasets;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Model;
using PrunerPipeline.LongThought.Builtin;
using PrunerPipeline.LongThought.Pilot;

namespace PrunerPipeline.Cli.Demo;

/// <summary>The demo's stages before the runs: the built-in model and the length-disharmony pilot.</summary>
internal static class DemoStages
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A model with no correct sample has no shortest correct length (NaN): written as "NaN", not a crash.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The built-in model in the store's <c>models/builtin</c>: trained there on first use, reused afterwards.</summary>
    public static async Task EnsureBuiltinModelAsync(IServiceProvider services, DemoSettings settings, IStageProgress progress, List<string> notes, CancellationToken ct)
    {
        var store = services.GetRequiredService<IArtifactStore>();
        var folder = Path.Combine(settings.StoreRoot, ModelLocator.BuiltinPrefix);
        if (await store.ExistsAsync($"{ModelLocator.BuiltinPrefix}/config.json", ct))
        {
            // A model learned on one task version is compared only on that version: its samples and the pilot depend on it.
            if (BuiltinModel.IsComplete(folder) && BuiltinModel.TaskVersionOf(folder) != settings.TaskVersion)
            {
                throw new DemoStageFailedException("built-in model",
                    $"the store's built-in model learned task v{BuiltinModel.TaskVersionOf(folder)}, not v{settings.TaskVersion}; use another --store or --task v{BuiltinModel.TaskVersionOf(folder)}");
            }
            progress.Complete("built-in model", $"cached (task v{settings.TaskVersion})");
            return;
        }
        const string task = "built-in model: training";
        var reporter = new Progress<BuiltinTrainingProgress>(p => progress.Report(task, p.Step, p.TotalSteps,
            string.Create(CultureInfo.InvariantCulture, $"loss {p.TrainLoss:F3}{(p.ValidationLoss is { } v ? $", validation {v:F3}" : "")}")));
        await Task.Run(() => BuiltinModel.EnsureAsync(folder, BuiltinModelOptions.ForTask(settings.TaskVersion), reporter, ct), ct);
        var summary = BuiltinModel.ReadSummary(folder);
        progress.Complete(task, summary is null ? "trained" : string.Create(CultureInfo.InvariantCulture, $"trained in {summary.Seconds:F0} s"));
        notes.Add(summary is null
            ? "The built-in model was trained for this demo."
            : string.Create(CultureInfo.InvariantCulture,
                $"The built-in model ({summary.Parameters:N0} parameters) was trained for this demo in {summary.Seconds:F0} s (validation loss {summary.ValidationLoss:F3}); later demos reuse it."));
    }

    /// <summary>
    /// The paper's pilot (Table 1 / Fig. 1) on the built-in model: many samples per validation problem, split into
    /// per-problem length quartiles. Writes disharmony.json and disharmony.png next to the report.
    /// </summary>
    public static async Task<PilotSummary?> RunPilotAsync(IServiceProvider services, DemoSettings settings, IStageProgress progress, List<string> notes, CancellationToken ct)
    {
        var folder = Path.Combine(settings.StoreRoot, ModelLocator.BuiltinPrefix);
        var problems = DatasetCatalog.Load(SyntheticTask.Name, SyntheticTask.Validation, settings.PilotProblems,
            services.GetRequiredService<ProblemLookup>().Root);
        var options = new PilotOptions
        {
            SamplesPerProblem = settings.PilotSamples,
            MaxNewTokens = settings.MaxNewTokens,
            BatchSize = 64,
            Seed = settings.Seed,
        };
        const string task = "length-disharmony pilot";
        var total = problems.Count * options.SamplesPerProblem;
        var report = await Task.Run(() =>
        {
            using var model = CausalLM.Load(folder);
            var tokenizer = TextTokenizer.Load(folder);
            return LengthDisharmonyPilot.Run(model, tokenizer, "builtin", $"{SyntheticTask.Name}/{SyntheticTask.Validation}", problems, options,
                (problem, text) => AnswerGrader.Grade(problem.Answer, text).Correct,
                new Progress<int>(done => progress.Report(task, done, total)), ct);
        }, ct);
        progress.Complete(task, string.Create(CultureInfo.InvariantCulture, $"{report.LengthOverShortestCorrect:F2}× the shortest correct length"));

        Directory.CreateDirectory(settings.OutputDirectory);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "disharmony.json"), JsonSerializer.Serialize(report, JsonOptions), ct);
        DisharmonyChart.Save(report, Path.Combine(settings.OutputDirectory, "disharmony.png"));
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Length disharmony of the built-in model: its mean solution is {report.LengthOverShortestCorrect:F2}× its shortest correct one on the same problem; see disharmony.png."));
        return new PilotSummary(report.Problems, report.SamplesPerProblem, report.QuartileAccuracy, report.QuartileMeanLength);
    }
}
