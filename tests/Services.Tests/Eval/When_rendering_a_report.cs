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
    public void A_comparison_of_many_methods_renders_a_wider_scatter_with_numbered_points()
    {
        var few = SampleReports.Comparison();
        var many = few with
        {
            Methods = Enumerable.Range(0, 12).ToDictionary(i => $"m{i}", i => few.Methods.Values.First() with { Label = $"method {i}", MeanLength = 30 + i, Accuracy = 0.8 - 0.01 * i }),
        };

        var fewPng = ReportCharts.RenderAccuracyVsLength(few);
        var manyPng = ReportCharts.RenderAccuracyVsLength(many);
        if (Environment.GetEnvironmentVariable("PRUNER_CHART_OUT") is { } folder)
        {
            File.WriteAllBytes(Path.Combine(folder, "many.png"), manyPng);
        }

        // PNG width: bytes 16-19 of the IHDR chunk, big-endian. Beyond MaxTextLabels models the legend moves beside the plot.
        static int Width(byte[] png) => png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
        Assert.True(few.Methods.Count + 1 <= ReportCharts.MaxTextLabels);
        Assert.Equal(900, Width(fewPng));
        Assert.True(Width(manyPng) > 900);
    }

    [Fact]
    public void Numbers_of_crowded_points_go_beside_them_without_overlapping_and_a_lone_one_stays_at_its_point()
    {
        // Four GRPO runs within 1.6 tokens and 2 points of each other, and the reference far away.
        (double X, double Y)[] points = [(67.2, 72.0), (32.8, 84.6), (33.3, 84.9), (34.1, 85.0), (32.5, 83.0)];

        var at = ReportCharts.NumberPositions(points, xRange: 87, yRange: 30);

        Assert.Equal((67.2, 72.0, true), at[0]);
        Assert.All(at.Skip(1), a => Assert.InRange(a.Y, 83.0 - 3 * 30 * 0.04, 85.0 + 3 * 30 * 0.04));
        // A number's box: 3.5 % of the x range wide, a marker's half-width (0.8 %) off the point, 4 % of the y range high.
        var (w, gap) = (87 * 0.035, 87 * 0.008);
        var boxes = at.Skip(1).Select(a => (Left: a.Right ? a.X + gap : a.X - gap - w, Right: a.Right ? a.X + gap + w : a.X - gap, a.Y)).ToList();
        for (var i = 0; i < boxes.Count; i++)
            for (var j = i + 1; j < boxes.Count; j++)
                Assert.False(boxes[i].Left < boxes[j].Right - 1e-9 && boxes[j].Left < boxes[i].Right - 1e-9 && Math.Abs(boxes[i].Y - boxes[j].Y) < 30 * 0.04 - 1e-9,
                    $"numbers {i + 1} and {j + 1} overlap");
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
