using Spectre.Console;

namespace PrunerPipeline.Cli.Demo;

/// <summary>One Spectre.Console progress bar per stage, created when the stage first reports.</summary>
public sealed class SpectreStageProgress(ProgressContext context, bool verbose) : IStageProgress
{
    private readonly Dictionary<string, ProgressTask> tasks = [];

    public void Report(string task, double done, double total, string? detail = null)
    {
        lock (tasks)
        {
            var bar = Bar(task);
            bar.MaxValue = Math.Max(total, 1e-9);
            bar.Value = Math.Min(done, bar.MaxValue);
            bar.Description = Describe(task, detail);
        }
    }

    public void Complete(string task, string? detail = null)
    {
        lock (tasks)
        {
            var bar = Bar(task);
            bar.Value = bar.MaxValue;
            bar.Description = Describe(task, detail);
            bar.StopTask();
        }
    }

    public void Log(string line)
    {
        if (verbose)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
        }
    }

    private ProgressTask Bar(string task)
    {
        if (!tasks.TryGetValue(task, out var bar))
        {
            bar = context.AddTask(Markup.Escape(task), autoStart: true, maxValue: 1);
            tasks[task] = bar;
        }
        return bar;
    }

    private static string Describe(string task, string? detail) =>
        Markup.Escape(detail is null ? task : $"{task} ({(detail.Length > 40 ? detail[..40] + "…" : detail)})");
}
