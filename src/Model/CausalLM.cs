using System.Text.Json;
using System.Text.Json.Nodes;
using PrunerPipeline.Model.Checkpoints;
using PrunerPipeline.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Model;

/// <summary>
/// A Qwen2 / Llama causal language model with its config: loaded from and saved to a Hugging Face model folder
/// (config.json, model.safetensors or sharded model-0000k-of-0000n.safetensors + index, generation_config.json).
/// Compute runs in float32 whatever dtype the checkpoint stores; the weights are float32 in memory, or (for a frozen
/// model, <see cref="WeightDtype.AsStored"/>) the checkpoint's own BF16/F16.
/// </summary>
public sealed class CausalLM : IDisposable
{
    /// <summary>Checkpoints above this many bytes are saved as shards (Hugging Face's default is 5 GB).</summary>
    public const long DefaultMaxShardBytes = 2L * 1024 * 1024 * 1024;

    private CausalLM(ModelConfig config, Qwen2ForCausalLM module, Device device, string? sourceDirectory)
    {
        Config = config;
        Module = module;
        Device = device;
        SourceDirectory = sourceDirectory;
    }

    public ModelConfig Config { get; }

    public Qwen2ForCausalLM Module { get; }

    public Device Device { get; }

    /// <summary>The folder this model was loaded from (its tokenizer files are copied along on save), if any.</summary>
    public string? SourceDirectory { get; }

    public long ParameterCount => Module.parameters().Sum(p => p.numel());

    /// <summary>A freshly initialised model (normal(0, 0.02) weights, zero biases, unit norms), deterministic in <paramref name="seed"/>.</summary>
    public static CausalLM Create(ModelConfig config, string device = "cpu", int seed = 0)
    {
        var problems = config.Validate();
        if (problems.Count > 0)
            throw new ArgumentException($"invalid model config: {string.Join("; ", problems)}", nameof(config));
        var target = TorchRuntime.Device(device);
        var module = new Qwen2ForCausalLM(config);
        var generator = new torch.Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (name, parameter) in module.named_parameters())
            {
                if (name.EndsWith("norm.weight", StringComparison.Ordinal))
                    parameter.fill_(1.0);
                else if (name.EndsWith(".bias", StringComparison.Ordinal))
                    parameter.zero_();
                else
                    parameter.normal_(0.0, 0.02, generator);
            }
        }
        module.to(target);
        module.eval();
        return new CausalLM(config, module, target, null);
    }

    /// <summary>
    /// Loads a Hugging Face model folder; errors name the file and the tensor at fault. A PEFT adapter folder loads as
    /// its base with the adapter merged in (<see cref="LoadAdapter"/>). Each tensor is read straight into its
    /// parameter's storage (no intermediate copy). With <see cref="WeightDtype.AsStored"/> a BF16/F16 checkpoint stays
    /// 16-bit in memory (for frozen models; see <see cref="WeightDtype"/>).
    /// </summary>
    public static CausalLM Load(string directory, string device = "cpu", WeightDtype dtype = WeightDtype.Float32)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"model folder '{directory}' does not exist");
        if (Adapters.PeftAdapter.IsAdapterFolder(directory))
            return LoadAdapter(directory, null, device, dtype);
        var config = ModelConfig.Load(Path.Combine(directory, CheckpointFiles.Config));
        var target = TorchRuntime.Device(device);
        var weightMap = CheckpointFiles.WeightMap(directory);
        // Before the module allocates anything: the config must describe these weights (hostile configs stop here).
        ModelShapeCheck.Check(directory, config, weightMap);
        var resident = dtype == WeightDtype.AsStored ? StoredDtype(weightMap) : ScalarType.Float32;
        // Built in its dtype: built in float32 and then cast, a 16-bit load held the float32 copy for a moment (7.1 GB for
        // the 3.6 GB of the 1.5B shape). The random initial values are overwritten by the checkpoint (every parameter must be in it).
        var module = new Qwen2ForCausalLM(config, resident);
        try
        {
            var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);

            var unexpected = weightMap.Keys.Where(name => !parameters.ContainsKey(name) && !IsIgnorable(name, config)).ToList();
            if (unexpected.Count > 0)
                throw new InvalidDataException($"{directory}: tensor '{unexpected[0]}' is not part of a {config.ModelType} model with this config ({unexpected.Count} unexpected tensor(s))");

            using (no_grad())
            {
                foreach (var file in parameters.Keys.GroupBy(name => weightMap.TryGetValue(name, out var f) ? f : ""))
                {
                    if (file.Key == "")
                        throw new InvalidDataException($"{directory}: tensor '{file.First()}' is missing from the checkpoint");
                    using var reader = new SafetensorsReader(file.Key);
                    foreach (var name in file)
                        reader.CopyInto(name, parameters[name]);
                }
            }
            module.to(target);
            module.eval();
            if (dtype == WeightDtype.AsStored)
            {
                foreach (var parameter in module.parameters())
                    parameter.requires_grad = false;
            }
            return new CausalLM(config, module, target, Path.GetFullPath(directory));
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>The dtype the model's parameters are held in (float32, or 16-bit for a frozen model loaded as stored).</summary>
    public ScalarType ParameterDtype => Module.parameters().First().dtype;

    /// <summary>The 16-bit dtype a checkpoint stores its weights in, or float32 when any weight is F32 (or mixed).</summary>
    private static ScalarType StoredDtype(IReadOnlyDictionary<string, string> weightMap)
    {
        var dtypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in weightMap.Values.Distinct())
        {
            using var reader = new SafetensorsReader(file);
            foreach (var entry in reader.Entries.Values)
                dtypes.Add(entry.Dtype);
        }
        return dtypes.Count == 1 ? dtypes.Single() switch
        {
            "BF16" => ScalarType.BFloat16,
            "F16" => ScalarType.Float16,
            _ => ScalarType.Float32,
        } : ScalarType.Float32;
    }

    /// <summary>
    /// Loads a PEFT LoRA adapter folder for decoding: its base (<paramref name="baseDirectory"/>, else the folder its
    /// <c>base_model_name_or_path</c> names, absolute or relative to the adapter folder) with the adapter merged into the
    /// base weights, in the base's dtype. Merging rather than keeping the adapter beside the weights lets the managed
    /// decode engine, which knows nothing of adapters, run it unchanged, and costs one merged copy, not an extra fp32 one.
    /// </summary>
    public static CausalLM LoadAdapter(string adapterDirectory, string? baseDirectory, string device = "cpu", WeightDtype dtype = WeightDtype.Float32)
    {
        var config = Adapters.PeftAdapter.ReadConfig(adapterDirectory);
        baseDirectory ??= BaseFolderOf(adapterDirectory, config.BaseModelNameOrPath);
        var model = Load(baseDirectory, device, dtype);
        try
        {
            Adapters.PeftAdapter.MergeInto(model, adapterDirectory);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string BaseFolderOf(string adapterDirectory, string? baseModel)
    {
        if (string.IsNullOrWhiteSpace(baseModel))
            throw new InvalidDataException($"adapter '{adapterDirectory}' names no base model (base_model_name_or_path); pass the base folder explicitly (--base)");
        var candidate = Path.IsPathRooted(baseModel) ? baseModel : Path.Combine(adapterDirectory, baseModel);
        if (!Directory.Exists(candidate))
            throw new DirectoryNotFoundException(
                $"adapter '{adapterDirectory}' is for base model '{baseModel}', which is not a folder on this machine; pass the base folder explicitly (--base)");
        return Path.GetFullPath(candidate);
    }

    /// <summary>
    /// Writes the model as a Hugging Face folder. <paramref name="dtype"/> is F32 (bit-identical round trip) or BF16;
    /// weights above <paramref name="maxShardBytes"/> are split into shards with an index.
    /// </summary>
    public void Save(string directory, string dtype = "F32", long maxShardBytes = DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(directory);
        var elementSize = SafetensorsWriter.BytesPerElement(dtype);
        // Injected LoRA weights are not part of the HF model: they are saved by PeftAdapter.Save (or merged first).
        var tensors = Module.named_parameters().Where(p => !Adapters.LoraInjection.IsAdapterParameter(p.name))
            .Select(p => (Name: p.name, Tensor: (Tensor)p.parameter)).ToList();

        var shards = new List<List<(string Name, Tensor Tensor)>> { new() };
        long shardBytes = 0;
        foreach (var entry in tensors)
        {
            var bytes = entry.Tensor.numel() * elementSize;
            if (shards[^1].Count > 0 && shardBytes + bytes > maxShardBytes)
            {
                shards.Add([]);
                shardBytes = 0;
            }
            shards[^1].Add(entry);
            shardBytes += bytes;
        }

        foreach (var stale in Directory.EnumerateFiles(directory, "model*.safetensors*"))
            File.Delete(stale);
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(directory, CheckpointFiles.SingleWeights), shards[0], dtype, metadata);
        }
        else
        {
            var weightMap = new JsonObject();
            for (var i = 0; i < shards.Count; i++)
            {
                var name = CheckpointFiles.ShardName(i + 1, shards.Count);
                SafetensorsWriter.Write(Path.Combine(directory, name), shards[i], dtype, metadata);
                foreach (var (tensorName, _) in shards[i])
                    weightMap[tensorName] = name;
            }
            var index = new JsonObject
            {
                ["metadata"] = new JsonObject { ["total_size"] = tensors.Sum(t => t.Tensor.numel() * elementSize) },
                ["weight_map"] = weightMap,
            };
            File.WriteAllText(Path.Combine(directory, CheckpointFiles.WeightsIndex), index.ToJsonString(ModelConfig.Json));
        }

        (Config with { TorchDtype = dtype == "BF16" ? "bfloat16" : "float32" }).Save(Path.Combine(directory, CheckpointFiles.Config));
        var generation = new JsonObject { ["bos_token_id"] = Config.BosTokenId, ["eos_token_id"] = Config.EosTokenId };
        if (Config.EosTokenIds.Count > 1)
            generation["eos_token_id"] = new JsonArray(Config.EosTokenIds.Select(id => (JsonNode?)id).ToArray());
        File.WriteAllText(Path.Combine(directory, CheckpointFiles.GenerationConfig), generation.ToJsonString(ModelConfig.Json));

        if (SourceDirectory is not null && Path.GetFullPath(directory) != SourceDirectory)
        {
            foreach (var file in CheckpointFiles.TokenizerFiles)
            {
                var source = Path.Combine(SourceDirectory, file);
                if (File.Exists(source))
                    File.Copy(source, Path.Combine(directory, file), overwrite: true);
            }
        }
    }

    public void Dispose()
    {
        Inference.ManagedGeneration.Release(this);
        Module.Dispose();
    }

    /// <summary>Tensors a checkpoint may carry that this model does not use: old rotary buffers, a tied head saved anyway.</summary>
    private static bool IsIgnorable(string name, ModelConfig config) =>
        name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal) || (config.TieWordEmbeddings && name == "lm_head.weight");
}
