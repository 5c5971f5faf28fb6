using PrunerPipeline.Model.Checkpoints;
using PrunerPipeline.Model.Shapes;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>What <see cref="RandomModelFolder.Write"/> wrote.</summary>
/// <param name="ModelFolder">the folder <see cref="CausalLM.Load"/> reads (in a hub cache: the snapshot)</param>
/// <param name="WeightBytes">bytes of the safetensors files (a hub-cache snapshot's links followed to their blobs)</param>
public sealed record RandomModelFolderResult(string ModelFolder, long WeightBytes, int Shards, long Parameters);

/// <summary>
/// A random-weight model folder for the benchmarks (`pruner bench make-model`): the weights streamed by
/// <see cref="RandomCheckpointWriter"/>, the tokenizer files of a folder copied in, and, given a repo id, the whole laid
/// out as a Hugging Face hub cache (<c>models--org--name/{blobs,refs,snapshots}</c>) under the destination.
/// </summary>
public static class RandomModelFolder
{
    /// <param name="dtype">"F32" or "BF16"</param>
    /// <param name="tokenizerFolder">a folder holding tokenizer.json (its <see cref="CheckpointFiles.TokenizerFiles"/> are copied), or null</param>
    /// <param name="hubRepoId">null: <paramref name="destination"/> is the model folder; else the hub cache root the repo is published under</param>
    public static RandomModelFolderResult Write(ModelConfig config, string destination, string dtype, int shards, int seed, string? tokenizerFolder,
        string? hubRepoId)
    {
        ArgumentNullException.ThrowIfNull(config);
        var folder = hubRepoId is null ? destination : Path.Combine(destination, ".staging-" + Guid.NewGuid().ToString("N"));
        RandomCheckpointWriter.Write(config, folder, dtype, shards, seed);
        if (tokenizerFolder is not null)
        {
            foreach (var file in CheckpointFiles.TokenizerFiles.Where(f => File.Exists(Path.Combine(tokenizerFolder, f))))
                File.Copy(Path.Combine(tokenizerFolder, file), Path.Combine(folder, file), overwrite: true);
        }
        var modelFolder = folder;
        if (hubRepoId is not null)
        {
            modelFolder = HubCacheLayout.Publish(folder, destination, hubRepoId);
            Directory.Delete(folder, recursive: true);
        }
        var weights = Directory.GetFiles(modelFolder, "*.safetensors");
        var bytes = weights.Sum(f => new FileInfo(new FileInfo(f).LinkTarget is { } target ? Path.GetFullPath(Path.Combine(modelFolder, target)) : f).Length);
        return new RandomModelFolderResult(modelFolder, bytes, weights.Length, CheckpointLayout.ParameterCount(config));
    }
}
