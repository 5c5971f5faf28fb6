using PrunerPipeline.Model.Checkpoints;
using PrunerPipeline.Model.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Adapters;

/// <summary>
/// A LoRA adapter folder in PEFT's layout, so <c>peft.PeftModel.from_pretrained(base, folder)</c> loads it:
/// <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> with PEFT's tensor names,
/// <c>base_model.model.{HF parameter path}.lora_A.weight</c> (r, in) and <c>….lora_B.weight</c> (out, r), float32.
/// The base model is not in the folder; <c>base_model_name_or_path</c> names it.
/// </summary>
public static class PeftAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>PEFT prefixes every name of the wrapped model with this (PeftModel.base_model = LoraModel, its .model = ours).</summary>
    public const string NamePrefix = "base_model.model.";

    /// <summary>True for a folder holding an adapter (and no full model of its own).</summary>
    public static bool IsAdapterFolder(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFile))
        && !File.Exists(Path.Combine(directory, CheckpointFiles.SingleWeights))
        && !File.Exists(Path.Combine(directory, CheckpointFiles.WeightsIndex));

    public static PeftAdapterConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{directory}' holds no {ConfigFile}: not a PEFT adapter folder", path);
        return PeftAdapterConfig.Load(path);
    }

    /// <summary>
    /// Writes the adapter of <paramref name="module"/> (injected by <see cref="LoraInjection"/>) into <paramref name="directory"/>.
    /// <paramref name="baseModel"/> goes into base_model_name_or_path as given (a Hugging Face id, a folder, or a store reference).
    /// </summary>
    public static void Save(string directory, Qwen2ForCausalLM module, LoraOptions options, string baseModel)
    {
        var adapter = LoraInjection.AdapterParameters(module);
        if (adapter.Count == 0)
            throw new InvalidOperationException("the model has no LoRA adapter to save");
        Directory.CreateDirectory(directory);
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFile),
            adapter.Select(p => (NamePrefix + p.Name, (Tensor)p.Parameter)).ToList(), "F32", new Dictionary<string, string> { ["format"] = "pt" });
        new PeftAdapterConfig
        {
            BaseModelNameOrPath = baseModel,
            R = options.Rank,
            LoraAlpha = options.Alpha,
            LoraDropout = options.Dropout,
            TargetModules = LoraOptions.KnownTargets.Where(options.Targets.Contains).ToArray(),
        }.Save(Path.Combine(directory, ConfigFile));
    }

    /// <summary>Copies an adapter folder's weights into the adapters of <paramref name="module"/>, which must have the same shape.</summary>
    public static void LoadWeights(string directory, Qwen2ForCausalLM module)
    {
        var path = Path.Combine(directory, WeightsFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"adapter folder '{directory}' has no {WeightsFile}", path);
        using var reader = new SafetensorsReader(path);
        var adapter = LoraInjection.AdapterParameters(module);
        var expected = adapter.Select(p => NamePrefix + p.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = reader.Entries.Keys.Where(k => !expected.Contains(k)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"{path}: tensor '{unexpected[0]}' is not an adapter weight of this model ({unexpected.Count} unexpected)");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in adapter)
        {
            if (!reader.Entries.ContainsKey(NamePrefix + name))
                throw new InvalidDataException($"{path}: tensor '{NamePrefix + name}' is missing");
            using var value = reader.ReadFloat32(NamePrefix + name, parameter.shape);
            parameter.copy_(value);
        }
    }

    /// <summary>
    /// Folds an adapter into the base weights of <paramref name="model"/> in place: W ← W + (α / r) · B · A, computed in
    /// float32 one projection at a time and stored back in W's own dtype. The model stays a plain decoder (no adapter
    /// modules), so both decode engines and <see cref="CausalLM.Save"/> see merged weights.
    /// </summary>
    public static void MergeInto(CausalLM model, string directory)
    {
        var config = ReadConfig(directory);
        var options = config.ToOptions(Path.Combine(directory, ConfigFile));
        var path = Path.Combine(directory, WeightsFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"adapter folder '{directory}' has no {WeightsFile}", path);
        using var reader = new SafetensorsReader(path);
        var parameters = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var pairs = reader.Entries.Keys
            .Where(k => k.EndsWith(".lora_A.weight", StringComparison.Ordinal))
            .Select(k => k[..^".lora_A.weight".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        if (pairs.Count == 0 || reader.Entries.Count != 2 * pairs.Count)
            throw new InvalidDataException($"{path}: expected lora_A / lora_B pairs, found {reader.Entries.Count} tensors of which {pairs.Count} lora_A");
        using var noGrad = no_grad();
        foreach (var pair in pairs)
        {
            var modulePath = pair.StartsWith(NamePrefix, StringComparison.Ordinal) ? pair[NamePrefix.Length..] : pair;
            if (!options.Targets.Any(t => modulePath.EndsWith("." + t, StringComparison.Ordinal)))
                throw new InvalidDataException($"{path}: '{pair}' is not one of the target_modules {string.Join(", ", options.Targets)}");
            if (!parameters.TryGetValue(modulePath + ".weight", out var weight))
                throw new InvalidDataException($"{path}: '{pair}' adapts '{modulePath}', which the base model does not have");
            if (!reader.Entries.ContainsKey(pair + ".lora_B.weight"))
                throw new InvalidDataException($"{path}: '{pair}.lora_B.weight' is missing");
            using var scope = NewDisposeScope();
            var a = reader.ReadFloat32(pair + ".lora_A.weight", [options.Rank, weight.shape[1]]);    // (r, in)
            var b = reader.ReadFloat32(pair + ".lora_B.weight", [weight.shape[0], options.Rank]);   // (out, r)
            var merged = weight.to_type(ScalarType.Float32).add_(b.matmul(a), alpha: options.Scaling);
            weight.copy_(merged.to_type(weight.dtype));
        }
    }

    /// <summary>
    /// <c>pruner model merge</c>: the base of <paramref name="baseDirectory"/> (or, when null, the folder the adapter
    /// names) with the adapter merged in, written to <paramref name="outputDirectory"/> as a Hugging Face checkpoint in
    /// the base's stored dtype (BF16 stays BF16; anything else is written as F32). Returns the dtype written.
    /// </summary>
    public static string Merge(string? baseDirectory, string adapterDirectory, string outputDirectory)
    {
        using var model = CausalLM.LoadAdapter(adapterDirectory, baseDirectory);
        var dtype = model.Config.TorchDtype == "bfloat16" ? "BF16" : "F32";
        model.Save(outputDirectory, dtype);
        return dtype;
    }
}
