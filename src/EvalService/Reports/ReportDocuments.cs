using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrunerPipeline.EvalService.Reports;

/// <summary>
/// Renders a report as its files: <c>report.json</c> (stable camelCase fields), <c>report.md</c> (tables, charts
/// linked beside it) and <c>report.html</c> (self-contained, charts embedded as PNG data URIs), plus the PNGs.
/// </summary>
public static class ReportDocuments
{
    public const string Json = "report.json";
    public const string Markdown = "report.md";
    public const string Html = "report.html";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Every file of the report by relative name (charts under <c>charts/</c>).</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(EvaluationReport report)
    {
        var charts = ReportCharts.Render(report);
        var files = new Dictionary<string, byte[]>
        {
            [Json] = JsonSerializer.SerializeToUtf8Bytes(report, JsonOptions),
            [Markdown] = Encoding.UTF8.GetBytes(ToMarkdown(report, charts.Keys)),
            [Html] = Encoding.UTF8.GetBytes(ToHtml(report, charts)),
        };
        foreach (var (name, png) in charts)
        {
            files[$"charts/{name}"] = png;
        }
        return files;
    }

    public static EvaluationReport? Parse(string json) => JsonSerializer.Deserialize<EvaluationReport>(json, JsonOptions);

    public static async Task WriteToFolderAsync(EvaluationReport report, string folder, CancellationToken ct)
    {
        foreach (var (name, content) in Render(report))
        {
            var path = Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content, ct);
        }
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Signed(double? value, string format) =>
        value is null ? "—" : (value >= 0 ? "+" : "") + F(value.Value, format);

    /// <summary>The comparison table rows (the paper's Table 2 columns), shared by Markdown and HTML.</summary>
    public static IReadOnlyList<string[]> TableRows(EvaluationReport report)
    {
        var rows = new List<string[]>
        {
            new[] { "Method", "Accuracy (%)", "Mean length", "p50", "p90", "ΔL", "ΔA", "AES (formula)", "AES (paper-table variant)", "training tokens sampled", "tokens/s" },
        };
        foreach (var result in new[] { report.Reference }.Concat(report.Methods.Values))
        {
            rows.Add(
            [
                result.Label,
                F(result.Accuracy * 100, "F1"),
                F(result.MeanLength, "F1"),
                F(result.P50Length, "F0"),
                F(result.P90Length, "F0"),
                result.DeltaLength is null ? "—" : Signed(result.DeltaLength * 100, "F1") + "%",
                result.DeltaAccuracy is null ? "—" : Signed(result.DeltaAccuracy * 100, "F1") + "%",
                result.Aes is null ? "—" : F(result.Aes.Value, "F2"),
                result.AesPaper is null ? "—" : F(result.AesPaper.Value, "F2"),
                result.TrainingTokensSampled is { } sampled and > 0 ? sampled.ToString("N0", CultureInfo.InvariantCulture) : "—",
                F(result.TokensPerSecond, "F0"),
            ]);
        }
        return rows;
    }

    private const string AesNote =
        "AES (formula) = α·ΔL + β·|ΔA| if ΔA ≥ 0, α·ΔL − γ·|ΔA| if ΔA < 0 (α = 1, β = 3, γ = 5). " +
        "AES (paper-table variant) = α·ΔL + β·|ΔA| always, which is what reproduces the numbers of the paper's Table 2. " +
        "ΔL = (L_ref − L)/L_ref, ΔA = (A − A_ref)/A_ref.";

    public static string ToMarkdown(EvaluationReport report, IEnumerable<string> chartNames)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {report.Title}").AppendLine();
        md.AppendLine($"Generated {report.GeneratedAt:u}.").AppendLine();
        if (report.Settings.Count > 0)
        {
            md.AppendLine("| setting | value |").AppendLine("| --- | --- |");
            foreach (var (key, value) in report.Settings)
            {
                md.AppendLine($"| {key} | {value} |");
            }
            md.AppendLine();
        }
        md.AppendLine("## Comparison").AppendLine();
        var rows = TableRows(report);
        md.AppendLine("| " + string.Join(" | ", rows[0]) + " |");
        md.AppendLine("|" + string.Concat(rows[0].Select(_ => " --- |")));
        foreach (var row in rows.Skip(1))
        {
            md.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        md.AppendLine().AppendLine(AesNote).AppendLine();

        if (report.Reference.ByLevel.Count > 0)
        {
            md.AppendLine("## Per difficulty level (accuracy % / mean length)").AppendLine();
            var levels = report.Reference.ByLevel.Select(b => b.Level).ToList();
            md.AppendLine("| Method | " + string.Join(" | ", levels.Select(l => $"level {l}")) + " |");
            md.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", levels.Count + 1)));
            foreach (var result in new[] { report.Reference }.Concat(report.Methods.Values))
            {
                var cells = levels.Select(l => result.ByLevel.FirstOrDefault(b => b.Level == l) is { } b
                    ? $"{F(b.Accuracy * 100, "F1")} / {F(b.MeanLength, "F0")}"
                    : "—");
                md.AppendLine($"| {result.Label} | {string.Join(" | ", cells)} |");
            }
            md.AppendLine();
        }

        if (report.Pilot is { } pilot)
        {
            md.AppendLine($"## Length disharmony pilot ({pilot.Problems} problems × {pilot.SamplesPerProblem} samples)").AppendLine();
            md.AppendLine("| quartile (shortest → longest) | Q1 | Q2 | Q3 | Q4 |").AppendLine("| --- | --- | --- | --- | --- |");
            md.AppendLine("| accuracy (%) | " + string.Join(" | ", pilot.QuartileAccuracy.Select(a => F(a * 100, "F1"))) + " |");
            md.AppendLine("| mean length | " + string.Join(" | ", pilot.QuartileMeanLength.Select(l => F(l, "F0"))) + " |");
            md.AppendLine();
        }

        if (report.Timings.Count > 0)
        {
            md.AppendLine("## Timings").AppendLine().AppendLine("| stage | seconds |").AppendLine("| --- | --- |");
            foreach (var (stage, seconds) in report.Timings)
            {
                md.AppendLine($"| {stage} | {F(seconds, "F1")} |");
            }
            md.AppendLine();
        }

        foreach (var note in report.Notes)
        {
            md.AppendLine($"- {note}");
        }
        if (report.Notes.Count > 0)
        {
            md.AppendLine();
        }

        md.AppendLine("## Charts").AppendLine();
        foreach (var chart in chartNames)
        {
            md.AppendLine($"![{chart}](charts/{chart})").AppendLine();
        }
        return md.ToString();
    }

    public static string ToHtml(EvaluationReport report, IReadOnlyDictionary<string, byte[]> charts)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{E(report.Title)}</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222}" +
                        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}" +
                        "td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}img{max-width:100%;margin:1em 0}" +
                        ".note{color:#555;font-size:0.9em}</style></head><body>");
        html.AppendLine($"<h1>{E(report.Title)}</h1><p class=\"note\">Generated {report.GeneratedAt:u}.</p>");
        if (report.Settings.Count > 0)
        {
            html.AppendLine("<table><tr><th>setting</th><th>value</th></tr>");
            foreach (var (key, value) in report.Settings)
            {
                html.AppendLine($"<tr><td>{E(key)}</td><td>{E(value)}</td></tr>");
            }
            html.AppendLine("</table>");
        }
        html.AppendLine("<h2>Comparison</h2><table>");
        var rows = TableRows(report);
        html.AppendLine("<tr>" + string.Concat(rows[0].Select(c => $"<th>{E(c)}</th>")) + "</tr>");
        foreach (var row in rows.Skip(1))
        {
            html.AppendLine("<tr>" + string.Concat(row.Select(c => $"<td>{E(c)}</td>")) + "</tr>");
        }
        html.AppendLine($"</table><p class=\"note\">{E(AesNote)}</p>");
        if (report.Timings.Count > 0)
        {
            html.AppendLine("<h2>Timings</h2><table><tr><th>stage</th><th>seconds</th></tr>");
            foreach (var (stage, seconds) in report.Timings)
            {
                html.AppendLine($"<tr><td>{E(stage)}</td><td>{F(seconds, "F1")}</td></tr>");
            }
            html.AppendLine("</table>");
        }
        if (report.Pilot is { } pilot)
        {
            html.AppendLine($"<h2>Length disharmony pilot ({pilot.Problems} problems × {pilot.SamplesPerProblem} samples)</h2><table>");
            html.AppendLine("<tr><th>quartile</th><th>Q1 (shortest)</th><th>Q2</th><th>Q3</th><th>Q4 (longest)</th></tr>");
            html.AppendLine("<tr><td>accuracy (%)</td>" + string.Concat(pilot.QuartileAccuracy.Select(a => $"<td>{F(a * 100, "F1")}</td>")) + "</tr>");
            html.AppendLine("<tr><td>mean length</td>" + string.Concat(pilot.QuartileMeanLength.Select(l => $"<td>{F(l, "F0")}</td>")) + "</tr></table>");
        }
        foreach (var note in report.Notes)
        {
            html.AppendLine($"<p class=\"note\">{E(note)}</p>");
        }
        html.AppendLine("<h2>Charts</h2>");
        foreach (var (name, png) in charts)
        {
            html.AppendLine($"<img alt=\"{E(name)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">");
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }
}
