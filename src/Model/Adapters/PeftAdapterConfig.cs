using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrunerPipeline.Model.Adapters;

/// <summary>
/// <c>adapter_config.json</c> of a PEFT LoRA adapter (peft's <c>LoraConfig</c>, the fields it writes). Fields we do not
/// model are kept as they were read, so a foreign adapter's config round-trips.
/// </summary>
public sealed record PeftAdapterConfig
{
    [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "LORA";
    [JsonPropertyName("task_type")] public string? TaskType { get; init; } = "CAUSAL_LM";
    [JsonPropertyName("base_model_name_or_path")] public string? BaseModelNameOrPath { get; init; }
    [JsonPropertyName("revision")] public string? Revision { get; init; }
    [JsonPropertyName("r")] public int R { get; init; } = 8;
    [JsonPropertyName("lora_alpha")] public double LoraAlpha { get; init; } = 8;
    [JsonPropertyName("lora_dropout")] public double LoraDropout { get; init; }
    [JsonPropertyName("target_modules")] public string[] TargetModules { get; init; } = [];
    [JsonPropertyName("bias")] public string Bias { get; init; } = "none";
    [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; init; }
    [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;
    [JsonPropertyName("init_lora_weights")] public bool InitLoraWeights { get; init; } = true;
    [JsonPropertyName("use_rslora")] public bool UseRsLora { get; init; }
    [JsonPropertyName("use_dora")] public bool UseDora { get; init; }
    [JsonPropertyName("modules_to_save")] public string[]? ModulesToSave { get; init; }
    [JsonPropertyName("layers_to_transform")] public int[]? LayersToTransform { get; init; }
    [JsonPropertyName("layers_pattern")] public string? LayersPattern { get; init; }
    [JsonPropertyName("rank_pattern")] public Dictionary<string, int> RankPattern { get; init; } = [];
    [JsonPropertyName("alpha_pattern")] public Dictionary<string, double> AlphaPattern { get; init; } = [];
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static PeftAdapterConfig Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PeftAdapterConfig>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a PEFT adapter config ({e.Message})", e);
        }
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>The adapter's shape, or an error naming the first field this decoder cannot honour.</summary>
    public LoraOptions ToOptions(string path)
    {
        string? problem =
            PeftType != "LORA" ? $"peft_type '{PeftType}' (only LORA is supported)"
            : UseDora ? "use_dora true (DoRA is not supported)"
            : UseRsLora ? "use_rslora true (rank-stabilised scaling is not supported)"
            : FanInFanOut ? "fan_in_fan_out true (Conv1D-style weights are not used by Qwen2 / Llama)"
            : Bias != "none" ? $"bias '{Bias}' (only 'none' is supported)"
            : RankPattern.Count > 0 || AlphaPattern.Count > 0 ? "rank_pattern / alpha_pattern (per-module ranks are not supported)"
            : ModulesToSave is { Length: > 0 } ? "modules_to_save (fully trained extra modules are not supported)"
            : null;
        if (problem is not null)
            throw new InvalidDataException($"{path}: {problem}");
        var options = new LoraOptions { Rank = R, Alpha = LoraAlpha, Dropout = LoraDropout, Targets = TargetModules };
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
        return options;
    }
}
