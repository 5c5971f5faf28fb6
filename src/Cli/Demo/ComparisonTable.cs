using PrunerPipeline.EvalService.Reports;
using Spectre.Console;

namespace PrunerPipeline.Cli.Demo;

/// <summary>The console's comparison table, laid out like the paper's Table 2 (accuracy, length, AES per method).</summary>
public static class ComparisonTable
{
    public static Table Create(EvaluationReport report)
    {
        var rows = ReportDocuments.TableRows(report);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(report.Title)}[/]");
        foreach (var (header, i) in rows[0].Select((h, i) => (h, i)))
        {
            var column = new TableColumn($"[bold]{Markup.Escape(header)}[/]");
            table.AddColumn(i == 0 ? column.LeftAligned() : column.RightAligned());
        }
        var best = ComparisonReportBuilder.BestByAes(report);
        var keys = new[] { "reference" }.Concat(report.Methods.Keys).ToList();
        for (var r = 1; r < rows.Count; r++)
        {
            var style = keys[r - 1] == best ? "green" : r == 1 ? "grey" : "default";
            table.AddRow(rows[r].Select(cell => new Markup($"[{style}]{Markup.Escape(cell)}[/]")).ToArray());
        }
        table.Caption("[grey]AES (formula): α·ΔL + β·|ΔA| if ΔA ≥ 0 else α·ΔL − γ·|ΔA|, α=1 β=3 γ=5; paper-table variant: α·ΔL + β·|ΔA| always[/]");
        return table;
    }

    public static Table Timings(EvaluationReport report)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("stage").AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var (stage, seconds) in report.Timings)
        {
            table.AddRow(Markup.Escape(stage), seconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        }
        return table;
    }
}
