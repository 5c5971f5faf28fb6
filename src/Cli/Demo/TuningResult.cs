using System.Globalization;
using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// tuning.json: the grid, where it was evaluated, every trial, and each method's pick — the trial with the best AES
/// (formula) on the validation split, ties to the higher accuracy. <c>pruner demo --tuned tuning.json</c> trains with the picks.
/// </summary>
public sealed record TuningResult
{
    public const string FileName = "tuning.json";
    public const string Criterion = "best AES (formula: accuracy drops cost 5×) on the validation split, ties to the higher accuracy";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public required IReadOnlyList<double> LearningRates { get; init; }
    public required IReadOnlyList<double> DpoBetas { get; init; }
    public required string Evaluation { get; init; }
    public string Selection { get; init; } = Criterion;
    public required double ReferenceAccuracy { get; init; }
    public required double ReferenceMeanLength { get; init; }
    public required IReadOnlyList<TuningTrial> Trials { get; init; }
    /// <summary>Method key → its picked trial.</summary>
    public required IReadOnlyDictionary<string, TuningTrial> Picks { get; init; }

    public static TuningResult Pick(TuningGrid grid, string evaluation, ModelResult reference, IReadOnlyList<TuningTrial> trials) => new()
    {
        LearningRates = grid.LearningRates,
        DpoBetas = grid.DpoBetas,
        Evaluation = evaluation,
        ReferenceAccuracy = reference.Accuracy,
        ReferenceMeanLength = reference.MeanLength,
        Trials = trials,
        Picks = trials.GroupBy(t => t.Method).ToDictionary(g => g.Key, g => g
            .OrderByDescending(t => double.IsNaN(t.Aes) ? double.NegativeInfinity : t.Aes)
            .ThenByDescending(t => t.Accuracy)
            .First()),
    };

    /// <summary>One line for the report: the grid and each pick.</summary>
    public string Describe()
    {
        var grid = string.Join(", ", LearningRates.Select(l => l.ToString("0.#######", CultureInfo.InvariantCulture)));
        var betas = Picks.ContainsKey("dpo") ? ", DPO β grid " + string.Join(", ", DpoBetas.Select(b => b.ToString(CultureInfo.InvariantCulture))) : "";
        var picks = string.Join(", ", Picks.Values.Select(p => TuningTrial.DescribePick(p.Method, p.LearningRate, p.DpoBeta)));
        return $"picked on {Evaluation} by {Selection}; lr grid {grid}{betas}; picks: {picks}";
    }

    public async Task WriteAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, JsonOptions), ct);
    }

    /// <summary>Reads a tuning.json; a missing or malformed file is one <see cref="InvalidDataException"/> naming it.</summary>
    public static TuningResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TuningResult>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"--tuned: {path} is empty");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InvalidDataException($"--tuned: cannot read {path}: {e.Message}", e);
        }
    }
}
