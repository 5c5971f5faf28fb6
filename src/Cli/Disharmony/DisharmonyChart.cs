using PrunerPipeline.LongThought.Pilot;
using ScottPlot;

namespace PrunerPipeline.Cli.Disharmony;

/// <summary>
/// The pilot's PNG: a heat map of accuracy per problem (rows) and length quartile (columns, shortest first),
/// above the quartile accuracies averaged over problems (the paper's Fig. 1 bars).
/// </summary>
internal static class DisharmonyChart
{
    private static readonly string[] QuartileNames = ["Q1 (shortest)", "Q2", "Q3", "Q4 (longest)"];

    public static void Save(DisharmonyReport report, string path)
    {
        var heat = new Plot();
        var cells = new double[report.PerProblem.Count, LengthQuartiles.Count];
        for (var p = 0; p < report.PerProblem.Count; p++)
            for (var q = 0; q < LengthQuartiles.Count; q++)
                cells[p, q] = report.PerProblem[p].QuartileAccuracy[q];
        var heatmap = heat.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heat.Add.ColorBar(heatmap);
        heat.Title($"Accuracy per length quartile and problem — {report.Model} on {report.Dataset}");
        heat.XLabel("length quartile (shortest → longest)");
        heat.YLabel("problem");
        heat.Axes.Bottom.SetTicks([0, 1, 2, 3], QuartileNames);

        var bars = new Plot();
        var barPlot = bars.Add.Bars(report.QuartileAccuracy.Select(a => a * 100).ToArray());
        foreach (var (bar, q) in barPlot.Bars.Select((b, i) => (b, i)))
            bar.Label = $"{report.QuartileAccuracy[q] * 100:F1}% · {report.QuartileMeanLength[q]:F0} tok";
        barPlot.ValueLabelStyle.FontSize = 14;
        bars.Axes.Bottom.SetTicks([0, 1, 2, 3], QuartileNames);
        bars.Axes.SetLimitsY(0, 105);
        bars.Title($"Mean accuracy per length quartile ({report.Problems} problems × {report.SamplesPerProblem} samples)");
        bars.YLabel("accuracy (%)");

        // The Multiplot starts with the plot it is given; a parameterless one would add an empty first panel.
        var figure = new Multiplot(heat);
        figure.AddPlot(bars);
        figure.SavePng(path, 1000, 1100);
    }
}
