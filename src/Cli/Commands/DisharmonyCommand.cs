using System.Text.Encodings.Web;
using PrunerPipeline.Cli.Disharmony;
using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Prompts;
using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.Grading;
using PrunerPipeline.Model;
using PrunerPipeline.LongThought.Builtin;
using PrunerPipeline.LongThought.Pilot;
using Spectre.Console;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner disharmony</c>: the paper's length-disharmony pilot (Table 1 / Fig. 1). Samples many solutions per
/// problem, splits each problem's samples into length quartiles and reports accuracy per quartile, per problem and
/// averaged, as JSON, a console table and a PNG chart.
/// </summary>
internal static class DisharmonyCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "A local model folder (Hugging Face layout) or 'builtin' (trained on first use into the store's models/builtin).",
            Required = true,
        };
        var dataset = new Option<string>("--dataset")
        {
            Description = $"Dataset name: {string.Join(", ", DatasetCatalog.Names)}.",
            DefaultValueFactory = _ => SyntheticTask.Name,
        };
        var split = new Option<string?>("--split") { Description = "Split to draw problems from (default: test, or train for datasets without one)." };
        var problems = new Option<int>("--problems") { Description = "Problems (the first N of the split).", DefaultValueFactory = _ => 64 };
        var samples = new Option<int>("--samples") { Description = "Samples per problem (at least 4).", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--output") { Description = "Folder for disharmony.json and disharmony.png.", Required = true };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold.", DefaultValueFactory = _ => 1.0 };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Longest solution (default: 320 for synthetic, 2048 otherwise)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences sampled together.", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 0 };
        var brief = new Option<bool>("--brief") { Description = "Append the Fast-solving instruction to every question." };
        var store = CliOptions.Store();

        var command = new Command("disharmony", "Length-disharmony pilot: accuracy per length quartile of many sampled solutions.")
        {
            model, dataset, split, problems, samples, output, temperature, topP, maxNewTokens, batchSize, seed, brief, store,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var datasetName = parseResult.GetValue(dataset)!;
            if (!DatasetCatalog.Names.Contains(datasetName))
                return Fail($"--dataset: unknown dataset '{datasetName}'; allowed: {string.Join(", ", DatasetCatalog.Names)}");
            var splits = DatasetCatalog.SplitsOf(datasetName);
            var splitName = parseResult.GetValue(split) ?? (splits.Contains("test") ? "test" : splits[0]);
            if (!splits.Contains(splitName))
                return Fail($"--split: dataset '{datasetName}' has no split '{splitName}'; allowed: {string.Join(", ", splits)}");
            var problemCount = parseResult.GetValue(problems);
            if (problemCount < 1)
                return Fail("--problems: must be at least 1");
            var sampleCount = parseResult.GetValue(samples);
            if (sampleCount < LengthQuartiles.Count)
                return Fail($"--samples: must be at least {LengthQuartiles.Count} (one per length quartile)");
            var t = parseResult.GetValue(temperature);
            if (t <= 0)
                return Fail("--temperature: must be > 0 (the pilot samples; greedy decoding gives one solution per problem)");
            var batch = parseResult.GetValue(batchSize);
            if (batch < 1)
                return Fail("--batch-size: must be at least 1");

            var synthetic = datasetName == SyntheticTask.Name;
            var modelRef = parseResult.GetValue(model)!;
            string modelFolder;
            if (modelRef == "builtin")
                modelFolder = await BuiltinModel.EnsureAsync(Path.Combine(parseResult.GetValue(store)!, "models", "builtin"), cancellationToken: ct);
            else
                modelFolder = ModelArgument.Resolve(modelRef, parseResult.GetValue(store)!);

            var outputFolder = parseResult.GetValue(output)!;
            Directory.CreateDirectory(outputFolder);
            var selected = DatasetCatalog.Load(datasetName, splitName, problemCount, CliConfiguration.DatasetsRoot);
            var options = new PilotOptions
            {
                SamplesPerProblem = sampleCount,
                Temperature = t,
                TopP = parseResult.GetValue(topP),
                MaxNewTokens = parseResult.GetValue(maxNewTokens) ?? (synthetic ? 320 : 2048),
                BatchSize = batch,
                Seed = parseResult.GetValue(seed),
                SystemPrompt = SolutionPrompts.For("", datasetName).System,
                UserSuffix = parseResult.GetValue(brief) ? (synthetic ? " " + SyntheticTask.BriefInstruction : " Be concise.") : null,
            };

            using var causalLm = CausalLM.Load(modelFolder, device: "cpu");
            var tokenizer = TextTokenizer.Load(modelFolder);
            DisharmonyReport report = null!;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"sampling {selected.Count} × {sampleCount}", maxValue: selected.Count * sampleCount);
                    var progress = new Progress<int>(done => task.Value = done);
                    report = await Task.Run(() => LengthDisharmonyPilot.Run(
                        causalLm, tokenizer, modelRef, $"{datasetName}/{splitName}", selected, options,
                        (problem, text) => AnswerGrader.Grade(problem.Answer, text).Correct, progress, ct), ct);
                    task.Value = task.MaxValue;
                });

            var jsonPath = Path.Combine(outputFolder, "disharmony.json");
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, JsonOptions), ct);
            var pngPath = Path.Combine(outputFolder, "disharmony.png");
            DisharmonyChart.Save(report, pngPath);
            Print(report);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(jsonPath)}[/] and [bold]{Markup.Escape(pngPath)}[/]");
            return 0;
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static void Print(DisharmonyReport report)
    {
        var table = new Table().Title($"Length disharmony: {Markup.Escape(report.Model)} on {Markup.Escape(report.Dataset)} ({report.Problems} problems × {report.SamplesPerProblem} samples)");
        table.AddColumn("length quartile");
        table.AddColumn(new TableColumn("accuracy").RightAligned());
        table.AddColumn(new TableColumn("mean length (tokens)").RightAligned());
        string[] names = ["Q1 (shortest)", "Q2", "Q3", "Q4 (longest)"];
        for (var q = 0; q < LengthQuartiles.Count; q++)
            table.AddRow(names[q], $"{report.QuartileAccuracy[q] * 100:F1}%", $"{report.QuartileMeanLength[q]:F1}");
        table.AddRow("[bold]all[/]", $"[bold]{report.Accuracy * 100:F1}%[/]", $"[bold]{report.MeanLength:F1}[/]");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(
            $"Mean length / mean shortest correct length: [bold]{report.LengthOverShortestCorrect:F2}×[/] " +
            $"({report.MeanShortestCorrectLength:F1} tokens, over {report.ProblemsWithACorrectSample} problems with a correct sample); " +
            $"truncated at max length: {report.TruncatedFraction * 100:F1}%; {report.Seconds:F0} s");
        if (report.RecheckGain.Any(g => g.SamplesWithRecheck > 0))
        {
            var gains = new Table().Title("What re-checking buys, per difficulty level");
            gains.AddColumns("level", "no re-check: samples", "accuracy", "≥ 1 re-check: samples", "accuracy", "gain (points)");
            string Percent(double? v) => v is { } x ? $"{x * 100:F1}%" : "–";
            foreach (var g in report.RecheckGain)
                gains.AddRow($"{g.Level}", $"{g.SamplesWithoutRecheck}", Percent(g.AccuracyWithoutRecheck), $"{g.SamplesWithRecheck}", Percent(g.AccuracyWithRecheck),
                    g.Gain is { } gain ? $"{gain * 100:+0.0;-0.0}" : "–");
            AnsiConsole.Write(gains);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
