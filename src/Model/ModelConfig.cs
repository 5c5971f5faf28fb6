using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrunerPipeline.Model;

/// <summary>
/// The fields of a Hugging Face <c>config.json</c> that a Qwen2 / Llama decoder needs, under their Hugging Face names.
/// Unknown fields are kept in <see cref="Extra"/> and written back on save.
/// </summary>
public sealed record ModelConfig
{
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["Qwen2ForCausalLM"];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "qwen2";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }
    /// <summary>Absent means multi-head attention (as many KV heads as query heads).</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }
    /// <summary>Absent means hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim")] public int? HeadDim { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 32768;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    /// <summary>q/k/v biases: absent means the architecture's default (Qwen2 has them, Llama does not).</summary>
    [JsonPropertyName("attention_bias")] public bool? AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    /// <summary>Some configs give a list here; the first entry is kept and the rest go to <see cref="ExtraEosTokenIds"/>.</summary>
    [JsonPropertyName("eos_token_id"), JsonConverter(typeof(FirstOfIntOrListConverter))] public int? EosTokenId { get; init; }
    [JsonIgnore] public IReadOnlyList<int> ExtraEosTokenIds { get; init; } = [];
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    [JsonPropertyName("rope_scaling")] public JsonElement? RopeScaling { get; init; }
    [JsonPropertyName("use_sliding_window")] public bool UseSlidingWindow { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    // Derived values, not config.json fields: config.json holds only Hugging Face keys.
    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;
    [JsonIgnore] public int HeadDimension => HeadDim ?? (NumAttentionHeads == 0 ? 0 : HiddenSize / NumAttentionHeads);
    [JsonIgnore] public bool HasAttentionBias => AttentionBias ?? ModelType == "qwen2";

    /// <summary>
    /// The derived properties' C# names, which this writer once put into config.json beside the Hugging Face keys; a
    /// config read back drops them so they are not carried on in <see cref="Extra"/>.
    /// </summary>
    internal static readonly IReadOnlyList<string> FormerlyWrittenNames = ["KeyValueHeads", "HeadDimension", "HasAttentionBias", "EosTokenIds"];

    public static readonly IReadOnlyList<string> SupportedModelTypes = ["qwen2", "llama"];

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Reads and validates <c>config.json</c>; every problem names the file and the field.</summary>
    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: config.json not found (a Hugging Face model folder needs one)", path);
        ModelConfig? config;
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            config = document.RootElement.Deserialize<ModelConfig>(Json);
            if (config is not null && document.RootElement.TryGetProperty("eos_token_id", out var eos) && eos.ValueKind == JsonValueKind.Array)
                config = config with { ExtraEosTokenIds = eos.EnumerateArray().Skip(1).Select(e => e.GetInt32()).ToArray() };
            if (config?.Extra is { } extra && FormerlyWrittenNames.Any(extra.ContainsKey))
                config = config with { Extra = extra.Where(e => !FormerlyWrittenNames.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value) };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON for a model config ({e.Message})", e);
        }
        if (config is null)
            throw new InvalidDataException($"{path}: empty model config");
        var problems = config.Validate();
        if (problems.Count > 0)
            throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
        return config;
    }

    public void Save(string path)
    {
        var node = JsonSerializer.SerializeToNode(this, Json)!.AsObject();
        if (EosTokenId is int eos && ExtraEosTokenIds.Count > 0)
            node["eos_token_id"] = new System.Text.Json.Nodes.JsonArray([eos, .. ExtraEosTokenIds.Select(id => (System.Text.Json.Nodes.JsonNode?)id)]);
        File.WriteAllText(path, node.ToJsonString(Json));
    }

    /// <summary>Every end-of-sequence id the config names (<c>eos_token_id</c> may be a list).</summary>
    [JsonIgnore] public IReadOnlyList<int> EosTokenIds => EosTokenId is int eos ? [eos, .. ExtraEosTokenIds] : [];

    /// <summary>Every reason this config cannot be built, each naming its field; empty when it is fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!SupportedModelTypes.Contains(ModelType))
            problems.Add($"model_type '{ModelType}' is not supported (supported: {string.Join(", ", SupportedModelTypes)})");
        void Positive(int value, string field)
        {
            if (value <= 0)
                problems.Add($"{field} must be positive (got {value})");
        }
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(KeyValueHeads, "num_key_value_heads");
        if (NumAttentionHeads > 0 && KeyValueHeads > 0 && NumAttentionHeads % KeyValueHeads != 0)
            problems.Add($"num_key_value_heads ({KeyValueHeads}) must divide num_attention_heads ({NumAttentionHeads})");
        if (HeadDim is null && NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads != 0)
            problems.Add($"num_attention_heads ({NumAttentionHeads}) must divide hidden_size ({HiddenSize})");
        if (HeadDimension % 2 != 0)
            problems.Add($"head_dim ({HeadDimension}) must be even for rotary embeddings");
        if (HiddenAct != "silu")
            problems.Add($"hidden_act '{HiddenAct}' is not supported (only silu)");
        if (RopeScaling is { ValueKind: JsonValueKind.Object } scaling
            && !(scaling.TryGetProperty("rope_type", out var type) && type.GetString() == "default")
            && !(scaling.TryGetProperty("type", out var legacy) && legacy.GetString() == "default"))
            problems.Add("rope_scaling is not supported (only the default rotary embedding)");
        if (RopeTheta <= 0)
            problems.Add($"rope_theta must be positive (got {RopeTheta})");
        if (RmsNormEps <= 0)
            problems.Add($"rms_norm_eps must be positive (got {RmsNormEps})");
        return problems;
    }

    private sealed class FirstOfIntOrListConverter : JsonConverter<int?>
    {
        public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.Number:
                    return reader.GetInt32();
                case JsonTokenType.StartArray:
                    int? first = null;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        first ??= reader.GetInt32();
                    return first;
                default:
                    throw new JsonException("eos_token_id must be a number or a list of numbers");
            }
        }

        public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
        {
            if (value is null)
                writer.WriteNullValue();
            else
                writer.WriteNumberValue(value.Value);
        }
    }
}
