using PrunerPipeline.LongThought.Builtin;
using Spectre.Console;

namespace PrunerPipeline.Cli.Commands;

/// <summary><c>pruner model train-builtin [--output folder]</c>: (re)trains the built-in reference model from scratch.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Manage models.");
        command.Subcommands.Add(TrainBuiltin());
        command.Subcommands.Add(ModelMergeCommand.Create());
        return command;
    }

    private static Command TrainBuiltin()
    {
        var store = CliOptions.Store();
        var output = new Option<string?>("--output")
        {
            Description = "Folder for the checkpoint (default: the store's models/builtin, where runs look for 'builtin').",
        };
        var steps = new Option<int?>("--steps") { Description = "Optimiser steps (default: the shipped budget)." };
        var seed = new Option<int?>("--seed") { Description = "Training seed (default: the shipped seed)." };
        var firstPass = new Option<double?>("--first-pass-only") { Description = "Fraction of examples cut after the first pass (default: the shipped recipe)." };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Peak learning rate (default: the shipped recipe)." };
        var taskVersion = new Option<string>("--task") { Description = "Synthetic task version: v1 (re-checks never change the answer) or v2 (first-pass slips that re-checks fix, more on harder problems).", DefaultValueFactory = _ => "v1" };
        taskVersion.AcceptOnlyFromAmong("v1", "v2");
        var command = new Command("train-builtin", "Train the built-in long-thought reference model from scratch on the synthetic task (replaces an existing one).")
        {
            output, store, steps, seed, firstPass, learningRate, taskVersion,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var folder = parseResult.GetValue(output) ?? Path.Combine(parseResult.GetValue(store)!, "models", "builtin");
            var options = BuiltinModelOptions.ForTask(parseResult.GetValue(taskVersion) == "v2" ? 2 : 1);
            if (parseResult.GetValue(steps) is { } s)
            {
                if (s < 1)
                {
                    Console.Error.WriteLine("--steps: must be at least 1");
                    return 2;
                }
                options = options with { Steps = s };
            }
            if (parseResult.GetValue(seed) is { } sd)
                options = options with { Seed = sd };
            if (parseResult.GetValue(firstPass) is { } fraction)
            {
                if (fraction is < 0 or > 1)
                {
                    Console.Error.WriteLine("--first-pass-only: must be between 0 and 1");
                    return 2;
                }
                options = options with { FirstPassOnlyFraction = fraction };
            }
            if (parseResult.GetValue(learningRate) is { } lr)
            {
                if (lr <= 0)
                {
                    Console.Error.WriteLine("--learning-rate: must be positive");
                    return 2;
                }
                options = options with { PeakLearningRate = lr };
            }

            BuiltinTrainingResult result = null!;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("training", maxValue: options.Steps);
                    var progress = new Progress<BuiltinTrainingProgress>(p =>
                    {
                        task.Value = p.Step;
                        task.Description = p.ValidationLoss is { } v
                            ? $"step {p.Step}/{p.TotalSteps} loss {p.TrainLoss:F3} val {v:F3}"
                            : $"step {p.Step}/{p.TotalSteps} loss {p.TrainLoss:F3} {p.TokensPerSecond:F0} tok/s";
                    });
                    result = await BuiltinModel.TrainAsync(folder, options, progress, ct);
                    task.Value = task.MaxValue;
                });
            AnsiConsole.MarkupLine($"Built-in model written to [bold]{Markup.Escape(Path.GetFullPath(folder))}[/]");
            AnsiConsole.MarkupLine(
                $"{result.Parameters:N0} parameters, {result.Steps} steps in {result.Seconds:F0} s, validation loss {result.ValidationLoss:F3}" +
                (result.ValidationAccuracy is { } a ? $", sampled validation accuracy {a * 100:F1}% at mean length {result.ValidationMeanLength:F1} tokens" : "") +
                $", task v{result.TaskVersion}");
            return 0;
        });
        return command;
    }
}
