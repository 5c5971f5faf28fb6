using System.Text;
using System.Text.Json;
using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.Services.Tests.Eval;

public class When_rendering_a_report
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void The_json_has_the_stable_camel_case_fields()
    {
        var report = SampleReports.Comparison();

        var files = ReportDocuments.Render(report);
        using var json = JsonDocument.Parse(files[ReportDocuments.Json]);
        var root = json.RootElement;

        Assert.Equal(report.Reference.Accuracy, root.GetProperty("reference").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(report.Reference.MeanLength, root.GetProperty("reference").GetProperty("meanLength").GetDouble(), 12);
        foreach (var key in new[] { "o1pruner", "sft", "dpo", "fastprompt" })
        {
            var method = root.GetProperty("methods").GetProperty(key);
            Assert.Equal(report.Methods[key].Aes!.Value, method.GetProperty("aes").GetDouble(), 12);
            Assert.Equal(report.Methods[key].AesPaper!.Value, method.GetProperty("aesPaper").GetDouble(), 12);
            Assert.Equal(report.Methods[key].MeanLength, method.GetProperty("meanLength").GetDouble(), 12);
            Assert.Equal(report.Methods[key].Accuracy, method.GetProperty("accuracy").GetDouble(), 12);
        }
        Assert.Equal(30.25, root.GetProperty("timings").GetProperty("sampling").GetDouble());
        Assert.Equal(20, root.GetProperty("trainingCurves").GetProperty("o1pruner").GetArrayLength());
    }

    [Fact]
    public void The_json_reads_back_into_the_same_comparison()
    {
        var report = SampleReports.Comparison();

        var parsed = ReportDocuments.Parse(Encoding.UTF8.GetString(ReportDocuments.Render(report)[ReportDocuments.Json]))!;

        Assert.Equal(report.Methods.Keys, parsed.Methods.Keys);
        Assert.Equal(report.Methods["o1pruner"].Aes, parsed.Methods["o1pruner"].Aes);
        Assert.Equal(report.Reference.Lengths, parsed.Reference.Lengths);
    }

    [Fact]
    public void The_html_embeds_every_chart_and_the_markdown_links_them()
    {
        var report = SampleReports.Comparison();

        var files = ReportDocuments.Render(report);
        var html = Encoding.UTF8.GetString(files[ReportDocuments.Html]);
        var markdown = Encoding.UTF8.GetString(files[ReportDocuments.Markdown]);
        var charts = files.Where(f => f.Key.StartsWith("charts/", StringComparison.Ordinal)).ToList();

        Assert.Equal(5, charts.Count);
        foreach (var (name, png) in charts)
        {
            Assert.Equal(PngSignature, png.Take(8));
            Assert.Contains($"]({name})", markdown);
            Assert.Contains("data:image/png;base64," + Convert.ToBase64String(png), html);
        }
        Assert.Contains("AES (paper-table variant)", html);
        Assert.Contains("| O1-Pruner (λ=2) |", markdown);

        // Kept on disk so the charts can be looked at.
        var folder = Path.Combine(Path.GetTempPath(), "pruner-sample-report");
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }
    }

    [Fact]
    public void A_run_without_training_or_levels_gets_only_the_charts_it_has_data_for()
    {
        var report = SampleReports.Comparison() with { TrainingCurves = new Dictionary<string, IReadOnlyList<TrainingCurvePoint>>() };

        var charts = ReportCharts.Render(report);

        Assert.DoesNotContain(ReportCharts.TrainingCurves, charts.Keys);
        Assert.Contains(ReportCharts.LengthByLevel, charts.Keys);
        Assert.Contains(ReportCharts.ChangeByLevel, charts.Keys);
    }

    [Fact]
    public void Scatter_labels_that_would_overlap_are_moved_apart_and_lone_ones_stay_at_their_point()
    {
        // Two methods at almost the same point (SFT 84.9 % / 36.2 and O1-Pruner 85.0 % / 31.4), one far away.
        (double X, double Y)[] points = [(65.2, 70.1), (31.4, 85.0), (36.2, 84.9), (47.1, 3.1)];

        var y = ReportCharts.LabelPositions(points, xRange: 85, yRange: 90);

        Assert.Equal(70.1, y[0]);
        Assert.Equal(85.0, y[1]);
        Assert.True(Math.Abs(y[2] - y[1]) >= 90 * 0.05, $"labels at {y[1]} and {y[2]} overlap");
        Assert.Equal(3.1, y[3]);
    }

    [Fact]
    public void The_trainer_metrics_lines_become_a_curve_ordered_by_step()
    {
        const string jsonl = """
            {"step":2,"epoch":0,"loss":0.5,"meanReward":0.25,"meanLength":120,"learningRate":1e-4}
            {"step":1,"epoch":0,"loss":0.75,"meanReward":0.1,"meanLength":140}

            {"step":2,"epoch":0,"loss":0.4,"meanReward":0.3,"meanLength":110}
            """;

        var curve = TrainingMetricsReader.Parse(jsonl);

        Assert.Equal([new TrainingCurvePoint(1, 0.75, 0.1, 140), new TrainingCurvePoint(2, 0.4, 0.3, 110)], curve);
    }
}
