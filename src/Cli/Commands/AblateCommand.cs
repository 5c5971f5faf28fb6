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
        var lambdas = ListOptions.Create("--lambda", "Comma-separated λ values, e.g. 0,1,2,5.", Lambdas,
            "expected comma-separated numbers ≥ 0, e.g. 0,1,2,5", defaultValue: "0,1,2,5");
        var targets = ListOptions.Create("--length-targets",
            "Comma-separated token limits: one GRPO run per limit of the first --online-rewards entry (thinkprune or l1max) instead of the λ ablation.",
            Targets, "expected comma-separated whole numbers ≥ 1, e.g. 16,32,48");
        var klCoefficients = ListOptions.Create("--kl-coefficients",
            "Comma-separated β values of GRPO's KL penalty to the base model (e.g. 0,0.04,0.1): one GRPO run per β with the first --online-rewards entry, instead of the λ ablation.",
            Lambdas, "expected comma-separated numbers ≥ 0, e.g. 0,0.04,0.1");
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
                return DemoConsole.RunAsync(settings, (runner, token) => runner.RunKlAblationAsync(Lambdas(betas)!, settings.OnlineRewards[0], token), ct);
            }
            if (parse.GetValue(targets) is { } list)
            {
                if (!LengthRewardNames.NeedingTarget.Contains(settings.OnlineRewards[0]))
                {
                    Console.Error.WriteLine($"--length-targets: needs --online-rewards {string.Join(" or ", LengthRewardNames.NeedingTarget)} first (got '{settings.OnlineRewards[0]}')");
                    return Task.FromResult(2);
                }
                return DemoConsole.RunAsync(settings, (runner, token) => runner.RunLengthAblationAsync(Targets(list)!, settings.OnlineRewards[0], token), ct);
            }
            var values = Lambdas(parse.GetValue(lambdas)!)!;
            return DemoConsole.RunAsync(settings, (runner, token) => runner.RunAblationAsync(values, token), ct);
        });
        return command;
    }

    private static int[]? Targets(string list) => ListOptions.WholeNumbers(list, v => v >= 1);

    private static double[]? Lambdas(string list) => ListOptions.Numbers(list, v => v >= 0);
}
