using System.Globalization;

namespace PrunerPipeline.Cli.Demo;

/// <summary>One grid point of <c>pruner tune</c> and what it scored on the validation split (AES against the reference there).</summary>
public sealed record TuningTrial(string Method, double LearningRate, double? DpoBeta, double Accuracy, double MeanLength, double Aes)
{
    /// <summary>A picked setting as the report's settings state it: <c>dpo lr 0.00001 β 0.5</c>.</summary>
    public static string DescribePick(string method, double learningRate, double? dpoBeta) => dpoBeta is { } beta
        ? string.Create(CultureInfo.InvariantCulture, $"{method} lr {learningRate:0.#######} β {beta:0.###}")
        : string.Create(CultureInfo.InvariantCulture, $"{method} lr {learningRate:0.#######}");
}
