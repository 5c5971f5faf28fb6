using PrunerPipeline.EvalService.Reports;
using Spectre.Console;

namespace PrunerPipeline.Cli.Demo;

/// <summary>Runs a demo or an ablation under Spectre progress bars, then prints the comparison; exit code 1 names the failed stage.</summary>
internal static class DemoConsole
{
    public static async Task<int> RunAsync(DemoSettings settings, Func<DemoRunner, CancellationToken, Task<EvaluationReport>> run, CancellationToken ct)
    {
        EvaluationReport report;
        try
        {
            report = await AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(context => run(new DemoRunner(settings, new SpectreStageProgress(context, settings.Verbose)), ct));
        }
        catch (DemoStageFailedException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            Console.Error.WriteLine($"demo failed at stage '{e.Stage}'");
            if (e.InnerException is { } inner && settings.Verbose)
            {
                Console.Error.WriteLine(inner);
            }
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted");
            return 1;
        }

        AnsiConsole.Write(ComparisonTable.Create(report));
        AnsiConsole.Write(ComparisonTable.Timings(report));
        if (ComparisonReportBuilder.BestByAes(report) is { } best)
        {
            AnsiConsole.MarkupLine($"best AES: [green]{Markup.Escape(report.Methods[best].Label)}[/]");
        }
        var output = Path.GetFullPath(settings.OutputDirectory);
        AnsiConsole.MarkupLine($"report: [blue]{Markup.Escape(Path.Combine(output, ReportDocuments.Html))}[/] (and report.json, report.md, charts/)");
        return 0;
    }
}
