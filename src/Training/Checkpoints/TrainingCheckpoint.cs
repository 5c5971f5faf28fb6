using System.Globalization;
using System.Text.Json;
using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.Training.Checkpoints;

/// <summary>
/// A checkpoint folder <c>step-{n:D6}</c>: HF-layout weights (written by the policy), <c>optimizer.safetensors</c>,
/// <c>metrics.jsonl</c> (the curve up to this step) and <c>trainer_state.json</c>, committed atomically by renaming a
/// staging folder.
/// </summary>
public sealed record TrainingCheckpoint(string Directory, TrainerState State)
{
    public const string OptimizerFileName = "optimizer.safetensors";
    public const string MetricsFileName = "metrics.jsonl";
    private const string Prefix = "step-";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string FolderName(int step) => $"{Prefix}{step:D6}";

    /// <summary>The step a folder name such as <c>step-000040</c> stands for, or null for anything else.</summary>
    public static int? StepOf(string folderName) =>
        folderName.StartsWith(Prefix, StringComparison.Ordinal)
        && folderName.Length == Prefix.Length + 6
        && int.TryParse(folderName.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            ? step
            : null;

    /// <summary>The complete checkpoint with the highest step under <paramref name="root"/>, or null.</summary>
    public static TrainingCheckpoint? FindLatest(string root)
    {
        if (!System.IO.Directory.Exists(root))
        {
            return null;
        }
        return System.IO.Directory.EnumerateDirectories(root)
            .Select(d => (Dir: d, Step: StepOf(Path.GetFileName(d))))
            .Where(d => d.Step is not null && File.Exists(Path.Combine(d.Dir, TrainerState.FileName)))
            .OrderByDescending(d => d.Step)
            .Select(d => Read(d.Dir))
            .FirstOrDefault();
    }

    public static TrainingCheckpoint Read(string directory)
    {
        var path = Path.Combine(directory, TrainerState.FileName);
        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty");
        return new TrainingCheckpoint(directory, state);
    }

    public IReadOnlyList<StepMetrics> ReadMetrics()
    {
        var path = Path.Combine(Directory, MetricsFileName);
        return File.Exists(path) ? StepMetrics.ReadJsonLines(path) : [];
    }

    /// <summary>Writes a checkpoint into a staging folder and renames it into place; an existing complete one is kept as is.</summary>
    internal static TrainingCheckpoint Write(string root, ITrainablePolicy policy, AdamWOptimizer optimizer, TrainerState state, IReadOnlyList<StepMetrics> metrics)
    {
        var target = Path.Combine(root, FolderName(state.Step));
        if (File.Exists(Path.Combine(target, TrainerState.FileName)))
        {
            return Read(target);
        }
        var staging = target + ".staging";
        if (System.IO.Directory.Exists(staging))
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }
        System.IO.Directory.CreateDirectory(staging);
        policy.Save(staging);
        optimizer.Save(Path.Combine(staging, OptimizerFileName));
        StepMetrics.WriteJsonLines(Path.Combine(staging, MetricsFileName), metrics);
        File.WriteAllText(Path.Combine(staging, TrainerState.FileName), JsonSerializer.Serialize(state, JsonOptions));
        if (System.IO.Directory.Exists(target))
        {
            // An incomplete folder from a crash mid-rename: it never got its trainer_state.json.
            System.IO.Directory.Delete(target, recursive: true);
        }
        System.IO.Directory.Move(staging, target);
        return new TrainingCheckpoint(target, state);
    }
}
