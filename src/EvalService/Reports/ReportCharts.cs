using ScottPlot;

namespace PrunerPipeline.EvalService.Reports;

/// <summary>
/// The report's PNG charts (ScottPlot): accuracy against mean length per model, length histograms before and after,
/// mean length per difficulty level (the paper's Fig. 4 idea), and training curves from the trainer's metrics.
/// </summary>
public static class ReportCharts
{
    public const string AccuracyVsLength = "accuracy-vs-length.png";
    public const string LengthHistograms = "length-histograms.png";
    public const string LengthByLevel = "length-by-level.png";
    public const string ChangeByLevel = "change-by-level.png";
    public const string TrainingCurves = "training-curves.png";

    private const int Width = 900;

    /// <summary>Every chart the report has data for, by file name.</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(EvaluationReport report)
    {
        var charts = new Dictionary<string, byte[]>
        {
            [AccuracyVsLength] = RenderAccuracyVsLength(report),
            [LengthHistograms] = RenderLengthHistograms(report),
        };
        if (report.Reference.ByLevel.Count > 0)
        {
            charts[LengthByLevel] = RenderLengthByLevel(report);
            if (report.Methods.Count > 0)
            {
                charts[ChangeByLevel] = RenderChangeByLevel(report);
            }
        }
        if (report.TrainingCurves.Any(c => c.Value.Count > 0))
        {
            charts[TrainingCurves] = RenderTrainingCurves(report);
        }
        return charts;
    }

    /// <summary>
    /// A method's colour: Category20 without its two greys (the reference is grey), so up to 18 methods (a demo with every
    /// method, rounds and online rewards has 12) never share one.
    /// </summary>
    private static Color ColorOf(int index) => MethodColors[index % MethodColors.Length];

    /// <summary>Category20's nine dark tones first (readable as label text), then their light pairs; the greys left out.</summary>
    private static readonly Color[] MethodColors = MethodPalette();

    private static Color[] MethodPalette()
    {
        var palette = new ScottPlot.Palettes.Category20();
        return Enumerable.Range(0, palette.Colors.Length).Where(i => i is not (14 or 15)).OrderBy(i => i % 2).ThenBy(i => i)
            .Select(palette.GetColor).ToArray();
    }

    /// <summary>With more models than this, the scatter numbers its points and the legend names them.</summary>
    public const int MaxTextLabels = 6;

    /// <summary>Reference first (grey), then the methods in report order.</summary>
    private static IEnumerable<(string Key, ModelResult Result, Color Color)> Models(EvaluationReport report)
    {
        yield return ("reference", report.Reference, Colors.Gray);
        var i = 0;
        foreach (var (key, result) in report.Methods)
        {
            yield return (key, result, ColorOf(i++));
        }
    }

    public static byte[] RenderAccuracyVsLength(EvaluationReport report)
    {
        var plot = new Plot();
        var lengths = Models(report).Select(m => m.Result.MeanLength).ToArray();
        var accuracies = Models(report).Select(m => m.Result.Accuracy * 100).ToArray();
        var (xMax, yMin, yMax) = (Math.Max(1, lengths.Max()) * 1.3, Math.Max(0, accuracies.Min() - 10), Math.Min(105, accuracies.Max() + 8));
        var models = Models(report).ToList();
        // Many models: a number beside each point (short labels barely need moving) and the names in a legend outside the plot.
        var numbered = models.Count > MaxTextLabels;
        var points = models.Select(m => (m.Result.MeanLength, m.Result.Accuracy * 100)).ToList();
        // Each point's label anchor and side: a name to its right moved off its neighbours, or (numbered) a number beside it.
        var anchors = numbered
            ? NumberPositions(points, xMax, yMax - yMin)
            : LabelPositions(points, xMax, yMax - yMin).Select((y, i) => (points[i].MeanLength, y, true)).ToArray();
        foreach (var ((_, result, color), i) in models.Select((m, i) => (m, i)))
        {
            var point = plot.Add.Scatter(new[] { result.MeanLength }, new[] { result.Accuracy * 100 });
            point.Color = color;
            point.MarkerSize = 14;
            point.LineWidth = 0;
            point.LegendText = numbered ? $"{i} · {result.Label}" : result.Label;
            var (x, y, right) = anchors[i];
            var label = plot.Add.Text(!numbered ? $" {result.Label}" : right ? $" {i}" : $"{i} ", x, y);
            label.LabelFontSize = 13;
            label.LabelBold = numbered;
            label.LabelFontColor = color;
            label.LabelAlignment = right ? Alignment.MiddleLeft : Alignment.MiddleRight;
        }
        plot.Axes.SetLimits(0, xMax, yMin, yMax);
        plot.Title("Accuracy vs mean solution length (up and left is better)");
        plot.XLabel("mean solution length (tokens)");
        plot.YLabel("accuracy (%)");
        if (numbered)
        {
            plot.ShowLegend(Edge.Right);
            return plot.GetImageBytes(Width + 380, 600, ImageFormat.Png);
        }
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(Width, 600, ImageFormat.Png);
    }

    /// <summary>
    /// The y of each point's label: at the point, moved down (then up) in steps of a label's height while it would
    /// overlap a label already placed — one within a label's height and a typical label's width to the right.
    /// </summary>
    public static double[] LabelPositions(IReadOnlyList<(double X, double Y)> points, double xRange, double yRange)
    {
        var height = yRange * 0.055;
        var width = xRange * 0.3;
        var placed = new List<(double X, double Y)>();
        var result = new double[points.Count];
        foreach (var i in Enumerable.Range(0, points.Count).OrderByDescending(i => points[i].Y))
        {
            var (x, y) = points[i];
            bool Overlaps(double candidate) => placed.Any(p => Math.Abs(p.X - x) < width && Math.Abs(p.Y - candidate) < height);
            var chosen = y;
            for (var step = 1; Overlaps(chosen) && step < 2 * points.Count + 2; step++)
            {
                chosen = y + (step % 2 == 1 ? -1 : 1) * ((step + 1) / 2) * height;
            }
            placed.Add((x, chosen));
            result[i] = chosen;
        }
        return result;
    }

    /// <summary>
    /// Where each point's number goes: the first of right, left, then above and below (right, then left) of the point,
    /// one number's height further each ring, that overlaps neither a number already placed nor another point.
    /// Returns the anchor and whether the number extends to the right of it.
    /// </summary>
    public static (double X, double Y, bool Right)[] NumberPositions(IReadOnlyList<(double X, double Y)> points, double xRange, double yRange)
    {
        var (width, height, marker) = (xRange * 0.035, yRange * 0.04, xRange * 0.016);
        var placed = new List<(double Left, double Right, double Y)>();
        var result = new (double, double, bool)[points.Count];
        foreach (var i in Enumerable.Range(0, points.Count).OrderByDescending(i => points[i].Y))
        {
            var (x, y) = points[i];
            var rings = 2 * points.Count + 2;
            var candidates = Enumerable.Range(0, rings + 1)
                .SelectMany(ring => ring == 0 ? [0.0] : new[] { ring * height, -ring * height })
                .SelectMany(dy => new[] { (Y: y + dy, Right: true), (Y: y + dy, Right: false) });
            var chosen = (Y: y, Right: true);
            // The horizontal extent of a number on that side of the point.
            (double Left, double Right) Span(bool right) =>
                right ? (x + marker * 0.5, x + marker * 0.5 + width) : (x - marker * 0.5 - width, x - marker * 0.5);
            foreach (var (cy, right) in candidates)
            {
                var (left, rightEdge) = Span(right);
                var free = !placed.Any(p => p.Left < rightEdge && left < p.Right && Math.Abs(p.Y - cy) < height)
                    && !points.Where((_, j) => j != i).Any(p => p.X + marker > left && p.X - marker < rightEdge && Math.Abs(p.Y - cy) < height * 0.6);
                if (free)
                {
                    chosen = (cy, right);
                    break;
                }
            }
            var (l, r) = Span(chosen.Right);
            placed.Add((l, r, chosen.Y));
            result[i] = (x, chosen.Y, chosen.Right);
        }
        return result;
    }

    /// <summary>
    /// Per difficulty level and method: the relative change of mean length and the change of accuracy (points) from
    /// the reference at that level — whether a method cuts where thinking does not pay and keeps it where it does.
    /// </summary>
    public static byte[] RenderChangeByLevel(EvaluationReport report)
    {
        var levels = report.Reference.ByLevel.Select(b => b.Level).ToList();
        var methods = report.Methods.Select((m, i) => (m.Value, Color: ColorOf(i))).ToList();
        var multiplot = new Multiplot();
        (string Title, string YLabel, Func<DifficultyBreakdownPair, double> Value, string Format)[] panels =
        [
            ("Length change from the reference per level", "mean length change (%)", p => (p.Method.MeanLength / p.Reference.MeanLength - 1) * 100, "{0:+0;-0}%"),
            ("Accuracy change from the reference per level", "accuracy change (points)", p => (p.Method.Accuracy - p.Reference.Accuracy) * 100, "{0:+0.0;-0.0}"),
        ];
        foreach (var ((title, yLabel, value, format), panel) in panels.Select((p, i) => (p, i)))
        {
            var plot = new Plot();
            const double groupWidth = 0.8;
            var barWidth = groupWidth / Math.Max(1, methods.Count);
            var bars = new List<Bar>();
            foreach (var ((result, color), m) in methods.Select((x, m) => (x, m)))
            {
                foreach (var level in result.ByLevel)
                {
                    if (report.Reference.ByLevel.FirstOrDefault(b => b.Level == level.Level) is not { } reference || reference.MeanLength <= 0)
                    {
                        continue;
                    }
                    var v = value(new DifficultyBreakdownPair(reference, level));
                    bars.Add(new Bar
                    {
                        Position = levels.IndexOf(level.Level) - groupWidth / 2 + barWidth * (m + 0.5),
                        Value = v,
                        Size = barWidth * 0.95,
                        FillColor = color,
                        LineWidth = 0,
                        Label = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, v),
                    });
                }
                if (title.StartsWith("Length", StringComparison.Ordinal))
                {
                    plot.Legend.ManualItems.Add(new LegendItem { LabelText = result.Label, FillColor = color });
                }
            }
            var barPlot = plot.Add.Bars(bars);
            barPlot.ValueLabelStyle.FontSize = 10;
            plot.Add.HorizontalLine(0, 1, Colors.Black);
            plot.Axes.Bottom.SetTicks(levels.Select((_, i) => (double)i).ToArray(), levels.Select(l => $"level {l}").ToArray());
            plot.Axes.Margins(top: 0.15, bottom: 0.15);
            plot.Title(title);
            plot.YLabel(yLabel);
            if (plot.Legend.ManualItems.Count > 0)
            {
                plot.ShowLegend(Edge.Bottom);
            }
            AddPanel(multiplot, plot, panel);
        }
        return multiplot.Render(Width, 900).GetImageBytes(ImageFormat.Png);
    }

    private sealed record DifficultyBreakdownPair(Metrics.DifficultyBreakdown Reference, Metrics.DifficultyBreakdown Method);

    public static byte[] RenderLengthHistograms(EvaluationReport report)
    {
        var methods = report.Methods.ToList();
        var all = Models(report).SelectMany(m => m.Result.Lengths).ToList();
        var max = all.Count == 0 ? 1 : all.Max();
        const int bins = 30;
        var binWidth = Math.Max(1.0, Math.Ceiling((max + 1) / (double)bins));
        var multiplot = new Multiplot();
        var panels = Math.Max(1, methods.Count);
        for (var i = 0; i < panels; i++)
        {
            var plot = new Plot();
            AddHistogram(plot, report.Reference.Lengths, binWidth, Colors.Gray.WithAlpha(0.55), $"{report.Reference.Label} (mean {report.Reference.MeanLength:F0})");
            if (i < methods.Count)
            {
                var (_, result) = methods[i];
                AddHistogram(plot, result.Lengths, binWidth, ColorOf(i).WithAlpha(0.6), $"{result.Label} (mean {result.MeanLength:F0})");
                plot.Title($"Solution lengths: reference vs {result.Label}");
            }
            else
            {
                plot.Title("Solution lengths: reference");
            }
            var tallest = plot.GetPlottables<ScottPlot.Plottables.BarPlot>().SelectMany(b => b.Bars).Select(b => b.Value).DefaultIfEmpty(1).Max();
            plot.Axes.SetLimits(0, binWidth * (bins + 1), 0, tallest * 1.25);
            plot.XLabel("solution length (tokens)");
            plot.YLabel("solutions");
            plot.ShowLegend(Alignment.UpperRight);
            AddPanel(multiplot, plot, i);
        }
        return multiplot.Render(Width, 320 * panels).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>A new Multiplot starts with one empty plot: the first panel replaces it, the others are appended.</summary>
    private static void AddPanel(Multiplot multiplot, Plot plot, int index)
    {
        if (index == 0)
        {
            multiplot.Reset(plot);
        }
        else
        {
            multiplot.AddPlot(plot);
        }
    }

    private static void AddHistogram(Plot plot, IReadOnlyList<int> lengths, double binWidth, Color color, string legend)
    {
        if (lengths.Count == 0)
        {
            return;
        }
        var counts = new SortedDictionary<int, int>();
        foreach (var length in lengths)
        {
            var bin = (int)(length / binWidth);
            counts[bin] = counts.GetValueOrDefault(bin) + 1;
        }
        var bars = counts.Select(c => new Bar
        {
            Position = (c.Key + 0.5) * binWidth,
            Value = c.Value,
            Size = binWidth,
            FillColor = color,
            LineWidth = 0,
        }).ToList();
        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = legend, FillColor = color });
    }

    public static byte[] RenderLengthByLevel(EvaluationReport report)
    {
        var models = Models(report).ToList();
        var levels = models.SelectMany(m => m.Result.ByLevel.Select(b => b.Level)).Distinct().Order().ToList();
        var plot = new Plot();
        var groupWidth = 0.8;
        var barWidth = groupWidth / models.Count;
        var bars = new List<Bar>();
        for (var m = 0; m < models.Count; m++)
        {
            var (_, result, color) = models[m];
            foreach (var level in result.ByLevel)
            {
                var x = levels.IndexOf(level.Level) - groupWidth / 2 + barWidth * (m + 0.5);
                bars.Add(new Bar
                {
                    Position = x,
                    Value = level.MeanLength,
                    Size = barWidth * 0.95,
                    FillColor = color,
                    LineWidth = 0,
                    Label = $"{level.Accuracy * 100:F0}%",
                });
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = result.Label, FillColor = color });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 10;
        plot.Axes.Bottom.SetTicks(
            levels.Select((_, i) => (double)i).ToArray(),
            levels.Select(l => $"level {l} ({report.Reference.ByLevel.FirstOrDefault(b => b.Level == l)?.Problems ?? 0} solutions)").ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Title("Mean solution length per difficulty level (bar label: accuracy)");
        plot.YLabel("mean solution length (tokens)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, 560, ImageFormat.Png);
    }

    public static byte[] RenderTrainingCurves(EvaluationReport report)
    {
        var multiplot = new Multiplot();
        (string Title, Func<TrainingCurvePoint, double> Value)[] panels =
        [
            ("training loss", p => p.Loss),
            ("mean reward of the step's samples", p => p.MeanReward),
            ("mean length of the step's samples (tokens)", p => p.MeanLength),
        ];
        var panelIndex = 0;
        var methodIndex = report.Methods.Keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i);
        foreach (var (title, value) in panels)
        {
            var plot = new Plot();
            foreach (var (key, curve) in report.TrainingCurves)
            {
                if (curve.Count == 0)
                {
                    continue;
                }
                var line = plot.Add.ScatterLine(curve.Select(p => (double)p.Step).ToArray(), curve.Select(value).ToArray());
                line.Color = ColorOf(methodIndex.GetValueOrDefault(key, 9));
                line.LineWidth = 2;
                line.MarkerSize = curve.Count <= 30 ? 5 : 0;
                line.LegendText = report.Methods.TryGetValue(key, out var result) ? result.Label : key;
            }
            plot.Title(title);
            plot.XLabel("optimizer step");
            plot.ShowLegend(Alignment.UpperRight);
            AddPanel(multiplot, plot, panelIndex++);
        }
        return multiplot.Render(Width, 900).GetImageBytes(ImageFormat.Png);
    }
}
