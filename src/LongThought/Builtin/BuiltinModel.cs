using System.Text.Json;

namespace PrunerPipeline.LongThought.Builtin;

/// <summary>
/// The built-in long-thought reference model: a tiny Qwen2-layout decoder trained from scratch on the synthetic
/// task, stored as a Hugging Face-layout folder (config.json, model.safetensors, generation_config.json,
/// tokenizer.json, builtin_training.json). Knows nothing of the bus or the artifact store: callers pick the folder
/// (the embedded default uses the store's <c>models/builtin</c>).
/// </summary>
public static class BuiltinModel
{
    public const string TrainingSummaryFile = "builtin_training.json";

    private static readonly string[] RequiredFiles = ["config.json", "model.safetensors", "tokenizer.json", TrainingSummaryFile];
    private static readonly SemaphoreSlim Training = new(1, 1);

    /// <summary>True when <paramref name="folder"/> holds a complete built-in checkpoint.</summary>
    public static bool IsComplete(string folder) => RequiredFiles.All(f => File.Exists(Path.Combine(folder, f)));

    /// <summary>
    /// Returns <paramref name="folder"/> (full path), training the model into it first when it is absent.
    /// Training writes to a sibling folder and renames it, so a crash never leaves a half-written checkpoint.
    /// </summary>
    public static async Task<string> EnsureAsync(
        string folder,
        BuiltinModelOptions? options = null,
        IProgress<BuiltinTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(folder);
        if (IsComplete(target))
            return target;
        await Training.WaitAsync(cancellationToken);
        try
        {
            if (!IsComplete(target))
            {
                await TrainCoreAsync(target, options ?? new BuiltinModelOptions(), progress, cancellationToken);
            }
            return target;
        }
        finally
        {
            Training.Release();
        }
    }

    /// <summary>Trains the model from scratch into <paramref name="folder"/>, replacing what is there.</summary>
    public static async Task<BuiltinTrainingResult> TrainAsync(
        string folder,
        BuiltinModelOptions? options = null,
        IProgress<BuiltinTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await Training.WaitAsync(cancellationToken);
        try
        {
            return await TrainCoreAsync(Path.GetFullPath(folder), options ?? new BuiltinModelOptions(), progress, cancellationToken);
        }
        finally
        {
            Training.Release();
        }
    }

    /// <summary>The synthetic task version the checkpoint in <paramref name="folder"/> learned (1 when its summary predates versions).</summary>
    public static int TaskVersionOf(string folder) => ReadSummary(folder)?.TaskVersion ?? 1;

    /// <summary>The training summary saved beside a built-in checkpoint.</summary>
    public static BuiltinTrainingResult? ReadSummary(string folder)
    {
        var path = Path.Combine(folder, TrainingSummaryFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<BuiltinTrainingResult>(File.ReadAllText(path), BuiltinModelTrainer.JsonOptions) : null;
    }

    private static async Task<BuiltinTrainingResult> TrainCoreAsync(
        string target, BuiltinModelOptions options, IProgress<BuiltinTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.training-{Guid.NewGuid():N}");
        try
        {
            // Training is CPU-bound; keep it off the caller's thread (a host or a progress bar).
            var result = await Task.Run(() => BuiltinModelTrainer.Train(staging, options, progress, cancellationToken), cancellationToken);
            if (Directory.Exists(target))
                Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            return result;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }
}
