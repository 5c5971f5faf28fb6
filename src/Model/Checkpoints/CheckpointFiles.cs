using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrunerPipeline.Model.Checkpoints;

/// <summary>File names of a Hugging Face model folder and how its weights are spread over safetensors files.</summary>
public static class CheckpointFiles
{
    public const string Config = "config.json";
    public const string GenerationConfig = "generation_config.json";
    public const string SingleWeights = "model.safetensors";
    public const string WeightsIndex = "model.safetensors.index.json";

    /// <summary>Files that travel with the weights when a checkpoint is saved elsewhere.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "added_tokens.json"];

    public static string ShardName(int index, int count) => $"model-{index:D5}-of-{count:D5}.safetensors";

    /// <summary>Tensor name → safetensors file (full path) for a single-file or a sharded checkpoint.</summary>
    public static IReadOnlyDictionary<string, string> WeightMap(string directory)
    {
        var index = Path.Combine(directory, WeightsIndex);
        if (File.Exists(index))
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllText(index));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{index}: not valid JSON ({e.Message})", e);
            }
            if (root?["weight_map"] is not JsonObject map)
                throw new InvalidDataException($"{index}: no 'weight_map' object");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, file) in map)
            {
                var fileName = file?.GetValue<string>() ?? throw new InvalidDataException($"{index}: weight_map entry '{name}' has no file");
                if (fileName.Contains('/') || fileName.Contains('\\') || fileName.StartsWith('.'))
                    throw new InvalidDataException($"{index}: weight_map entry '{name}' names '{fileName}', which is not a file of this folder");
                result[name] = Path.Combine(directory, fileName);
            }
            return result;
        }
        var single = Path.Combine(directory, SingleWeights);
        if (!File.Exists(single))
            throw new FileNotFoundException($"{directory}: neither {SingleWeights} nor {WeightsIndex} found", single);
        using var reader = new SafetensorsReader(single);
        return reader.Entries.Keys.ToDictionary(name => name, _ => single, StringComparer.Ordinal);
    }
}
