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

    /// <summary>camelCase, indented; every <see cref="TrainerState"/> field must be present (a state missing one is unreadable).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, RespectRequiredConstructorParameters = true };

    public static string FolderName(int step) => $"{Prefix}{step:D6}";

    /// <summary>The step a folder name such as <c>step-000040</c> stands for, or null for anything else.</summary>
    public static int? StepOf(string folderName) =>
        folderName.StartsWith(Prefix, StringComparison.Ordinal)
        && folderName.Length == Prefix.Length + 6
        && int.TryParse(folderName.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            ? step
            : null;

    /// <summary>
    /// The complete, readable checkpoint with the highest step under <paramref name="root"/>, or null. A newer one that
    /// is corrupt (unreadable trainer state, a truncated or garbled safetensors file) is skipped for the one before it,
    /// and reported through <paramref name="skipped"/>.
    /// </summary>
    public static TrainingCheckpoint? FindLatest(string root, Action<string, string>? skipped = null)
    {
        if (!System.IO.Directory.Exists(root))
        {
            return null;
        }
        var candidates = System.IO.Directory.EnumerateDirectories(root)
            .Select(d => (Dir: d, Step: StepOf(Path.GetFileName(d))))
            .Where(d => d.Step is not null && File.Exists(Path.Combine(d.Dir, TrainerState.FileName)))
            .OrderByDescending(d => d.Step);
        foreach (var (dir, step) in candidates)
        {
            if (Problem(dir, step!.Value) is { } problem)
            {
                skipped?.Invoke(dir, problem);
                continue;
            }
            return Read(dir);
        }
        return null;
    }

    /// <summary>Why the checkpoint folder cannot be resumed from (null when it can): its state, optimizer and weight files are checked, not loaded.</summary>
    public static string? Problem(string directory, int step)
    {
        TrainingCheckpoint checkpoint;
        try
        {
            checkpoint = Read(directory);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            return $"{TrainerState.FileName} is unreadable ({e.Message})";
        }
        if (checkpoint.State.Step != step)
        {
            return $"{TrainerState.FileName} says step {checkpoint.State.Step}, the folder step {step}";
        }
        if (!File.Exists(Path.Combine(directory, checkpoint.State.OptimizerFile ?? OptimizerFileName)))
        {
            return $"{checkpoint.State.OptimizerFile ?? OptimizerFileName} is missing";
        }
        var weights = System.IO.Directory.EnumerateFiles(directory, "*.safetensors").ToList();
        if (!weights.Any(f => Path.GetFileName(f) != (checkpoint.State.OptimizerFile ?? OptimizerFileName)))
        {
            return "no model weights (*.safetensors)";
        }
        foreach (var file in weights)
        {
            try
            {
                // The reader checks the header and that every tensor lies inside the file (a truncated copy fails here).
                using var reader = new PrunerPipeline.Model.Checkpoints.SafetensorsReader(file);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                return $"{Path.GetFileName(file)} is corrupt ({e.Message})";
            }
        }
        return null;
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

    /// <summary>Writes a checkpoint into a staging folder and renames it into place; an existing complete, readable one is kept as is.</summary>
    internal static TrainingCheckpoint Write(string root, ITrainablePolicy policy, AdamWOptimizer optimizer, TrainerState state, IReadOnlyList<StepMetrics> metrics)
    {
        var target = Path.Combine(root, FolderName(state.Step));
        // An existing complete checkpoint is kept; a corrupt one (the reason a resume fell back past it) is rewritten.
        if (File.Exists(Path.Combine(target, TrainerState.FileName)) && Problem(target, state.Step) is null)
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
