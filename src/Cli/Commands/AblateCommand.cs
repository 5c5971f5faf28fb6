using System.Globalization;
using PrunerPipeline.Cli.Demo;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner ablate --lambda 0,1,2,5 --output DIR</c>: one O1-Pruner run per λ on the same samples (the paper's Table 3);
/// <c>--length-targets 16,32,48</c> instead: one GRPO run per length limit of the first <c>--online-rewards</c> entry
/// (thinkprune or l1max); <c>--kl-coefficients 0,0.04,0.1</c>: one GRPO run per β of the KL penalty to the base model,
/// scored with the first <c>--online-rewards</c> entry.
/// </summary>
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
        var targets = new Option<string?>("--length-targets")
        {
            Description = "Comma-separated token limits: one GRPO run per limit of the first --online-rewards entry (thinkprune or l1max) instead of the λ ablation.",
        };
        targets.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } list && ParseTargets(list) is null)
            {
                r.AddError("--length-targets: expected comma-separated whole numbers ≥ 1, e.g. 16,32,48");
            }
        });
        var klCoefficients = new Option<string?>("--kl-coefficients")
        {
            Description = "Comma-separated β values of GRPO's KL penalty to the base model (e.g. 0,0.04,0.1): one GRPO run per β with the first --online-rewards entry, instead of the λ ablation.",
        };
        klCoefficients.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } list && Parse(list) is null)
            {
                r.AddError("--kl-coefficients: expected comma-separated numbers ≥ 0, e.g. 0,0.04,0.1");
            }
        });
        var command = new Command("ablate", "Run O1-Pruner once per λ (or GRPO once per length limit or KL β) on the same problems and compare them in one table and chart.");
        options.AddTo(command);
        command.Options.Add(lambdas);
        command.Options.Add(targets);
        command.Options.Add(klCoefficients);
        command.SetAction((parse, ct) =>
        {
            var settings = options.Read(parse) with { PilotProblems = 0 };
            if (parse.GetValue(targets) is not null && parse.GetValue(klCoefficients) is not null)
            {
                Console.Error.WriteLine("--length-targets and --kl-coefficients: choose one ablation");
                return Task.FromResult(2);
            }
            if (parse.GetValue(klCoefficients) is { } betas)
            {
                return DemoConsole.RunAsync(settings, (runner, token) => runner.RunKlAblationAsync(Parse(betas)!, settings.OnlineRewards[0], token), ct);
            }
            if (parse.GetValue(targets) is { } list)
            {
                if (!LengthRewardNames.NeedingTarget.Contains(settings.OnlineRewards[0]))
                {
                    Console.Error.WriteLine($"--length-targets: needs --online-rewards {string.Join(" or ", LengthRewardNames.NeedingTarget)} first (got '{settings.OnlineRewards[0]}')");
                    return Task.FromResult(2);
                }
                return DemoConsole.RunAsync(settings, (runner, token) => runner.RunLengthAblationAsync(ParseTargets(list)!, settings.OnlineRewards[0], token), ct);
            }
            var values = Parse(parse.GetValue(lambdas)!)!;
            return DemoConsole.RunAsync(settings, (runner, token) => runner.RunAblationAsync(values, token), ct);
        });
        return command;
    }

    private static int[]? ParseTargets(string list)
    {
        var values = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1 ? v : (int?)null).ToList();
        return values.Count == 0 || values.Any(v => v is null) ? null : values.Select(v => v!.Value).Distinct().ToArray();
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
