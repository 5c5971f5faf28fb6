using System.Text.Json;
using System.Text.Json.Nodes;
using PrunerPipeline.Model.Checkpoints;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Shapes;

/// <summary>
/// Writes a random-weight Hugging Face checkpoint of any config, in F32 or BF16, sharded like a published one, without
/// ever holding the model in memory: each tensor is generated in 4M-element chunks (normal(0, 0.02) for matrices, ones
/// for norms, zeros for biases, as <see cref="CausalLM.Create"/>), converted and appended to its shard, so a 7B model
/// (30 GB in float32) is written with tens of megabytes of RAM. The text such a model writes is noise; its memory and
/// compute profile are the real model's.
/// </summary>
public static class RandomCheckpointWriter
{
    private const long ChunkElements = 4L << 20;

    /// <summary>Writes config.json, generation_config.json and the weights into <paramref name="directory"/>; returns the files written.</summary>
    /// <param name="shards">1 = one <c>model.safetensors</c>; more = <c>model-0000k-of-0000n.safetensors</c> + index, split evenly by bytes</param>
    public static IReadOnlyList<string> Write(ModelConfig config, string directory, string dtype, int shards, int seed = 1)
    {
        var problems = config.Validate();
        if (problems.Count > 0)
            throw new ArgumentException($"invalid model config: {string.Join("; ", problems)}", nameof(config));
        if (dtype is not ("F32" or "BF16"))
            throw new ArgumentException($"dtype '{dtype}' is not supported (F32 or BF16)", nameof(dtype));
        if (shards < 1)
            throw new ArgumentOutOfRangeException(nameof(shards), shards, "at least one shard");
        Directory.CreateDirectory(directory);
        var elementSize = SafetensorsWriter.BytesPerElement(dtype);
        var tensors = CheckpointLayout.Tensors(config);
        var totalBytes = tensors.Sum(t => Elements(t.Shape) * elementSize);
        var groups = Split(tensors, elementSize, totalBytes, shards);

        var written = new List<string>();
        var weightMap = new JsonObject();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        for (var i = 0; i < groups.Count; i++)
        {
            var name = groups.Count == 1 ? CheckpointFiles.SingleWeights : CheckpointFiles.ShardName(i + 1, groups.Count);
            var path = Path.Combine(directory, name);
            WriteShard(path, groups[i], dtype, generator);
            written.Add(path);
            foreach (var (tensorName, _) in groups[i])
                weightMap[tensorName] = name;
        }
        if (groups.Count > 1)
        {
            var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = totalBytes }, ["weight_map"] = weightMap };
            var indexPath = Path.Combine(directory, CheckpointFiles.WeightsIndex);
            File.WriteAllText(indexPath, index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            written.Add(indexPath);
        }

        var configPath = Path.Combine(directory, CheckpointFiles.Config);
        (config with { TorchDtype = dtype == "BF16" ? "bfloat16" : "float32" }).Save(configPath);
        written.Add(configPath);
        var generation = new JsonObject { ["bos_token_id"] = config.BosTokenId, ["eos_token_id"] = config.EosTokenId };
        var generationPath = Path.Combine(directory, CheckpointFiles.GenerationConfig);
        File.WriteAllText(generationPath, generation.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        written.Add(generationPath);
        return written;
    }

    private static long Elements(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Consecutive tensors into <paramref name="shards"/> groups of about equal bytes (never an empty group).</summary>
    private static List<List<(string Name, long[] Shape)>> Split(IReadOnlyList<(string Name, long[] Shape)> tensors, long elementSize, long totalBytes, int shards)
    {
        shards = Math.Min(shards, tensors.Count);
        var groups = new List<List<(string, long[])>> { new() };
        long before = 0;
        for (var i = 0; i < tensors.Count; i++)
        {
            // The next shard starts once this one holds its share of the bytes, or when every tensor left is needed
            // to give each remaining shard one.
            var full = before >= totalBytes * groups.Count / shards;
            var needed = shards - groups.Count >= tensors.Count - i;
            if (groups[^1].Count > 0 && groups.Count < shards && (full || needed))
                groups.Add([]);
            groups[^1].Add(tensors[i]);
            before += Elements(tensors[i].Shape) * elementSize;
        }
        return groups;
    }

    private static void WriteShard(string path, IReadOnlyList<(string Name, long[] Shape)> tensors, string dtype, TorchSharp.torch.Generator generator)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        SafetensorsWriter.WriteHeader(file, tensors, dtype, new Dictionary<string, string> { ["format"] = "pt" });
        var target = dtype == "BF16" ? ScalarType.BFloat16 : ScalarType.Float32;
        foreach (var (name, shape) in tensors)
        {
            var total = Elements(shape);
            for (long done = 0; done < total; done += ChunkElements)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(ChunkElements, total - done);
                var chunk = name.EndsWith("norm.weight", StringComparison.Ordinal) ? ones(count)
                    : name.EndsWith(".bias", StringComparison.Ordinal) ? zeros(count)
                    : empty(count).normal_(0.0, 0.02, generator);
                var stored = chunk.to_type(target);
                file.Write(stored.bytes);
            }
        }
    }
}
