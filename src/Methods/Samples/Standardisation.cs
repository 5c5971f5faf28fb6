namespace PrunerPipeline.Training.Samples;

/// <summary>
/// z = (x − mean) / std over a set (population std), the one standardisation of rewards and advantages: over the
/// training set (the authors' code) and over an optimizer step's batch. A set whose std is at most 1e-8 carries no
/// preference: every value becomes 0 rather than noise divided by almost nothing.
/// </summary>
public static class Standardisation
{
    public const double MinStd = 1e-8;

    public static (double Mean, double Std) MeanAndStd(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return (0, 0);
        }
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count));
    }

    public static double[] Standardise(IReadOnlyList<double> values)
    {
        var (mean, std) = MeanAndStd(values);
        return std > MinStd ? values.Select(v => (v - mean) / std).ToArray() : new double[values.Count];
    }
}
