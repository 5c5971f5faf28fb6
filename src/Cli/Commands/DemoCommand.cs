using PrunerPipeline.Cli.Demo;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner demo --output DIR</c>: the one-command embedded run — built-in model, length-disharmony pilot, O1-Pruner
/// and the SFT, DPO and Fast-solving baselines on the same samples, one comparison report with stage timings.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var options = new DemoOptions();
        var lambda = new Option<double>("--lambda") { Description = "λ of O1-Pruner's reward.", DefaultValueFactory = _ => 2.0 };
        lambda.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() < 0)
            {
                r.AddError("--lambda: must be 0 or more");
            }
        });
        var methods = new Option<string>("--methods") { Description = $"Comma-separated subset of {MethodRegistry.Default.Allowed}.", DefaultValueFactory = _ => string.Join(',', MethodRegistry.Default.All.Select(m => m.Key.Key)) };
        methods.Validators.Add(r =>
        {
            try
            {
                if (DemoOptions.ParseMethods(r.GetValueOrDefault<string>() ?? "").Length == 0)
                {
                    r.AddError($"--methods: name at least one of {MethodRegistry.Default.Allowed}");
                }
            }
            catch (ArgumentException e)
            {
                r.AddError($"--methods: {e.Message}");
            }
        });
        var rounds = new Option<int>("--rounds")
        {
            Description = "Also run iterated O1-Pruner with this many rounds (each re-samples from the previous round's model), beside the one-round run; 1 = only the paper's.",
            DefaultValueFactory = _ => 1,
        };
        rounds.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 8)
            {
                r.AddError("--rounds: must be 1 to 8");
            }
        });
        var baseline = new Option<RoundBaseline>("--baseline")
        {
            Description = "With --rounds: where rounds ≥ 2 take L̄_ref and Ā_ref: previous (the previous round's samples) or original (the first round's).",
            DefaultValueFactory = _ => RoundBaseline.Previous,
        };
        var tuned = new Option<string?>("--tuned") { Description = "tuning.json from `pruner tune`: train each method at its picked learning rate (and DPO at its β)." };
        var command = new Command("demo", "Run O1-Pruner and its baselines on the built-in model in this process and write a comparison report.");
        options.AddTo(command);
        command.Options.Add(lambda);
        command.Options.Add(methods);
        command.Options.Add(rounds);
        command.Options.Add(baseline);
        command.Options.Add(tuned);
        command.SetAction((parse, ct) =>
        {
            var settings = options.Read(parse) with { Lambda = parse.GetValue(lambda), Methods = DemoOptions.ParseMethods(parse.GetValue(methods)!), Rounds = parse.GetValue(rounds), Baseline = parse.GetValue(baseline) };
            if (parse.GetValue(tuned) is { } path)
            {
                TuningResult picks;
                try
                {
                    picks = TuningResult.Read(path);
                }
                catch (InvalidDataException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return Task.FromResult(2);
                }
                settings = settings with
                {
                    MethodLearningRates = picks.Picks.ToDictionary(p => p.Key, p => p.Value.LearningRate),
                    DpoBeta = picks.Picks.TryGetValue("dpo", out var dpo) ? dpo.DpoBeta : settings.DpoBeta,
                    Tuning = picks.Describe(),
                };
            }
            return DemoConsole.RunAsync(settings, (runner, token) => runner.RunDemoAsync(token), ct);
        });
        return command;
    }
}
