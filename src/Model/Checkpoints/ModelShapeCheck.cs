namespace PrunerPipeline.Model.Checkpoints;

/// <summary>
/// Checks a model folder's config.json against its safetensors headers (and against sane maxima) before anything is
/// allocated, so a hostile or mistyped config (<c>"hidden_size": 1000000</c> next to a 3 MB file) is refused with the
/// field's name instead of making the process allocate gigabytes. Reads only the headers, never the weights.
/// </summary>
public static class ModelShapeCheck
{
    /// <summary>Upper bounds well above every released Qwen2/Llama model (Qwen2.5-72B: hidden 8192, 80 layers, vocab 152 064).</summary>
    public const int MaxVocabSize = 1 << 21;
    public const int MaxHiddenSize = 1 << 16;
    public const int MaxIntermediateSize = 1 << 18;
    public const int MaxLayers = 1024;
    public const int MaxHeads = 1024;
    public const int MaxHeadDimension = 1024;
    public const int MaxPositionEmbeddings = 1 << 23;

    /// <summary>Every reason the config is out of bounds, each naming the field (empty when fine).</summary>
    public static IReadOnlyList<string> Bounds(ModelConfig config)
    {
        var problems = new List<string>();
        void AtMost(long value, long max, string field)
        {
            if (value > max)
                problems.Add($"{field} is {value}; allowed: at most {max}");
        }
        AtMost(config.VocabSize, MaxVocabSize, "vocab_size");
        AtMost(config.HiddenSize, MaxHiddenSize, "hidden_size");
        AtMost(config.IntermediateSize, MaxIntermediateSize, "intermediate_size");
        AtMost(config.NumHiddenLayers, MaxLayers, "num_hidden_layers");
        AtMost(config.NumAttentionHeads, MaxHeads, "num_attention_heads");
        AtMost(config.KeyValueHeads, MaxHeads, "num_key_value_heads");
        AtMost(config.HeadDimension, MaxHeadDimension, "head_dim");
        AtMost(config.MaxPositionEmbeddings, MaxPositionEmbeddings, "max_position_embeddings");
        if (config.MaxPositionEmbeddings <= 0)
            problems.Add($"max_position_embeddings must be positive (got {config.MaxPositionEmbeddings})");
        return problems;
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming the folder, the config field and the tensor when the config is out
    /// of bounds or does not describe the weights in the folder: the embedding, the layer count and layer 0's projections
    /// are compared with their header shapes (the rest is checked tensor by tensor while loading).
    /// </summary>
    /// <param name="weightMap">Tensor name → safetensors file, from <see cref="CheckpointFiles.WeightMap"/>.</param>
    public static void Check(string directory, ModelConfig config, IReadOnlyDictionary<string, string> weightMap)
    {
        var problems = Bounds(config).ToList();
        if (problems.Count > 0)
            throw new InvalidDataException($"{Path.Combine(directory, CheckpointFiles.Config)}: {string.Join("; ", problems)}");

        var shapes = new Dictionary<string, (long[] Shape, string File)>(StringComparer.Ordinal);
        foreach (var file in weightMap.Values.Distinct(StringComparer.Ordinal))
        {
            using var reader = new SafetensorsReader(file);
            foreach (var (name, entry) in reader.Entries)
                shapes[name] = (entry.Shape, file);
        }

        var headDim = (long)config.HeadDimension;
        var expected = new List<(string Tensor, long[] Shape, string Fields)>
        {
            ("model.embed_tokens.weight", [config.VocabSize, config.HiddenSize], "vocab_size, hidden_size"),
            ("model.layers.0.self_attn.q_proj.weight", [config.NumAttentionHeads * headDim, config.HiddenSize], "num_attention_heads × head_dim, hidden_size"),
            ("model.layers.0.self_attn.k_proj.weight", [config.KeyValueHeads * headDim, config.HiddenSize], "num_key_value_heads × head_dim, hidden_size"),
            ("model.layers.0.mlp.gate_proj.weight", [config.IntermediateSize, config.HiddenSize], "intermediate_size, hidden_size"),
        };
        if (!config.TieWordEmbeddings)
            expected.Add(("lm_head.weight", [config.VocabSize, config.HiddenSize], "vocab_size, hidden_size"));
        foreach (var (tensor, shape, fields) in expected)
        {
            if (!shapes.TryGetValue(tensor, out var actual))
                problems.Add($"{directory}: tensor '{tensor}' is missing from the weights");
            else if (!actual.Shape.SequenceEqual(shape))
                problems.Add($"{actual.File}: tensor '{tensor}' has shape [{string.Join(", ", actual.Shape)}] but config.json's {fields} need [{string.Join(", ", shape)}]");
        }

        var layers = shapes.Keys
            .Select(name => name.StartsWith("model.layers.", StringComparison.Ordinal) ? name["model.layers.".Length..].Split('.')[0] : null)
            .Select(index => int.TryParse(index, out var i) ? i : -1)
            .DefaultIfEmpty(-1)
            .Max() + 1;
        if (layers != config.NumHiddenLayers)
            problems.Add($"{Path.Combine(directory, CheckpointFiles.Config)}: num_hidden_layers is {config.NumHiddenLayers} but the weights hold {layers} layers");

        if (problems.Count > 0)
            throw new InvalidDataException(string.Join("; ", problems));
    }
}
