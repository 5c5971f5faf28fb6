using System.Globalization;
using PrunerPipeline.Cli.Demo;
using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.Training.Methods;
using Spectre.Console;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner tune --methods dpo,sft,o1pruner --grid 1e-6,1e-5,1e-4 --dpo-beta 0.1,0.5 --output DIR</c>: every trained
/// method at every learning rate (DPO also at every β), all on the same samples and training budget, evaluated on the
/// synthetic validation split; writes DIR/tuning.json (the picks) and DIR/report.* (every trial). The defaults are the
/// grid behind <see cref="ShippedPicks"/> (~8 minutes on the demo's cached samples, 2 cores).
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var options = new DemoOptions();
        var methods = new Option<string>("--methods") { Description = "Comma-separated trained methods to tune.", DefaultValueFactory = _ => "o1pruner,sft,dpo,grpo" };
        var grid = ListOptions.Create("--grid", "Comma-separated peak learning rates, each tried for every method.", LearningRates,
            "expected comma-separated learning rates in (0, 1], e.g. 1e-6,1e-5,1e-4", defaultValue: "1e-6,3e-6,1e-5,3e-5,1e-4,2e-4,3e-4");
        var betas = ListOptions.Create("--dpo-beta", "Comma-separated DPO β values, each tried at every learning rate.", Betas,
            "expected comma-separated numbers > 0, e.g. 0.1,0.5", defaultValue: "0.1,0.5");
        methods.Validators.Add(r =>
        {
            try
            {
                var keys = DemoOptions.ParseMethods(r.GetValueOrDefault<string>() ?? "");
                if (keys.Length == 0)
                {
                    r.AddError($"--methods: name at least one of {MethodRegistry.Default.Allowed}");
                }
                foreach (var untrained in keys.Where(k => !MethodRegistry.Default[k].Trains))
                {
                    r.AddError($"--methods: {untrained.Key} trains nothing, so it has no learning rate to tune");
                }
            }
            catch (ArgumentException e)
            {
                r.AddError($"--methods: {e.Message}");
            }
        });
        var command = new Command("tune", "Pick each trained method's learning rate (and DPO's β) on the synthetic validation split, same samples and budget for all.");
        options.AddTo(command);
        command.Options.Add(methods);
        command.Options.Add(grid);
        command.Options.Add(betas);
        command.SetAction(async (parse, ct) =>
        {
            var settings = options.Read(parse) with { PilotProblems = 0, EvaluationDataset = SyntheticTask.ValidationSet };
            var tuningGrid = new TuningGrid(DemoOptions.ParseMethods(parse.GetValue(methods)!), LearningRates(parse.GetValue(grid)!)!, Betas(parse.GetValue(betas)!)!);
            TuningResult? result = null;
            var exit = await DemoConsole.RunAsync(settings, (runner, token) => runner.RunTuningAsync(tuningGrid, picked => result = picked, token), ct);
            if (result is not null)
            {
                var table = new Table().AddColumns("method", "lr", "β", "accuracy", "mean length", "AES", "pick");
                foreach (var trial in result.Trials)
                {
                    var picked = result.Picks[trial.Method] == trial;
                    table.AddRow(trial.Method, F($"{trial.LearningRate:0.#######}"), trial.DpoBeta is { } b ? F($"{b}") : "", F($"{trial.Accuracy:P1}"),
                        F($"{trial.MeanLength:F1}"), F($"{trial.Aes:F2}"), picked ? "[green]✓[/]" : "");
                }
                AnsiConsole.MarkupLine(Markup.Escape(F($"reference on {result.Evaluation}: {result.ReferenceAccuracy:P1}, {result.ReferenceMeanLength:F1} tokens")));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"picks: [blue]{Markup.Escape(Path.Combine(Path.GetFullPath(settings.OutputDirectory), TuningResult.FileName))}[/] (pruner demo --tuned FILE)");
            }
            return exit;
        });
        return command;
    }

    private static double[]? LearningRates(string list) => ListOptions.Numbers(list, v => v is > 0 and <= 1);

    private static double[]? Betas(string list) => ListOptions.Numbers(list, v => v > 0);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
