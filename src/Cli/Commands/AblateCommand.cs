using System.Globalization;
using PrunerPipeline.Cli.Demo;

namespace PrunerPipeline.Cli.Commands;

/// <summary><c>pruner ablate --lambda 0,1,2,5 --output DIR</c>: one O1-Pruner run per λ on the same samples (the paper's Table 3).</summary>
internal static class AblateCommand
{
    public static Command Create()
    {
        var options = new DemoOptions();
        var lambdas = new Option<string>("--lambda") { Description = "Comma-separated λ values, e.g. 0,1,2,5.", DefaultValueFactory = _ => "0,1,2,5" };
        lambdas.Validators.Add(r =>
        {
            if (Parse(r.GetValueOrDefault<string>() ?? "") is null)
            {
                r.AddError("--lambda: expected comma-separated numbers ≥ 0, e.g. 0,1,2,5");
            }
        });
        var command = new Command("ablate", "Run O1-Pruner once per λ on the same samples and compare them in one table and chart.");
        options.AddTo(command);
        command.Options.Add(lambdas);
        command.SetAction((parse, ct) =>
        {
            var settings = options.Read(parse) with { PilotProblems = 0 };
            var values = Parse(parse.GetValue(lambdas)!)!;
            return DemoConsole.RunAsync(settings, (runner, token) => runner.RunAblationAsync(values, token), ct);
        });
        return command;
    }

    private static double[]? Parse(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new List<double>();
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || !double.IsFinite(value))
            {
                return null;
            }
            values.Add(value);
        }
        return values.Count == 0 ? null : values.Distinct().ToArray();
    }
}
