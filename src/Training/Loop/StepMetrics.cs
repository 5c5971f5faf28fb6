using System.Text;
using System.Text.Json;

namespace PrunerPipeline.Training.Loop;

/// <summary>One optimizer step's numbers, a line of <c>metrics.jsonl</c> (the report's training curves).</summary>
public sealed record StepMetrics
{
    /// <summary>1-based optimizer step.</summary>
    public required int Step { get; init; }

    /// <summary>Epochs completed as a fraction.</summary>
    public required double Epoch { get; init; }

    public required double Loss { get; init; }

    /// <summary>Mean raw R_LH reward of the step's sequences.</summary>
    public required double MeanReward { get; init; }

    /// <summary>Mean completion length (tokens) of the step's sequences.</summary>
    public required double MeanLength { get; init; }

    public required double LearningRate { get; init; }

    /// <summary>PPO: fraction of ratios on the closed side of the clip; null for SFT/DPO.</summary>
    public double? ClipFraction { get; init; }

    /// <summary>PPO: mean per-token k3 estimate of KL(π_ref ‖ π_θ); null for SFT/DPO.</summary>
    public double? KlToReference { get; init; }

    /// <summary>DPO: fraction of pairs whose chosen implicit reward beats the rejected one; null otherwise.</summary>
    public double? PreferenceAccuracy { get; init; }

    /// <summary>Global gradient norm before clipping.</summary>
    public required double GradNorm { get; init; }

    public required int MicroBatches { get; init; }

    /// <summary>Prompt + completion tokens through forward and backward.</summary>
    public required long Tokens { get; init; }

    public required double Seconds { get; init; }

    private static readonly JsonSerializerOptions LineOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, LineOptions);

    public static void WriteJsonLines(string path, IEnumerable<StepMetrics> metrics)
    {
        var text = new StringBuilder();
        foreach (var m in metrics)
        {
            text.Append(m.ToJsonLine()).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    public static IReadOnlyList<StepMetrics> ReadJsonLines(string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<StepMetrics>(l, LineOptions) ?? throw new InvalidDataException($"{path}: empty metrics line"))
            .ToArray();
}
