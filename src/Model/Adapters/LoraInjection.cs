using PrunerPipeline.Model.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Adapters;

/// <summary>
/// Puts LoRA adapters into a decoder (PEFT's <c>inject_adapter</c>): every targeted projection of every layer becomes a
/// <see cref="LoraLinear"/> around its frozen weights. Parameter names stay Hugging Face's, plus
/// <c>….lora_A.weight</c> / <c>….lora_B.weight</c>.
/// </summary>
public static class LoraInjection
{
    private static readonly string[] AttentionTargets = ["q_proj", "k_proj", "v_proj", "o_proj"];

    /// <summary>
    /// Wraps the targeted projections and freezes everything else; returns the adapter parameters by name. A's random
    /// initialisation is a pure function of <paramref name="seed"/> (layers and targets visited in a fixed order).
    /// </summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> Apply(Qwen2ForCausalLM module, LoraOptions options, int seed)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException($"invalid LoRA adapter: {string.Join("; ", problems)}", nameof(options));
        if (HasAdapters(module))
            throw new InvalidOperationException("the model already has LoRA adapters; merge them first");
        foreach (var (_, parameter) in module.named_parameters())
            parameter.requires_grad = false;
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        var layers = module.Decoder.Layers;
        foreach (var layer in layers)
        {
            foreach (var target in LoraOptions.KnownTargets.Where(options.Targets.Contains))
            {
                nn.Module<Tensor, Tensor> Wrap(nn.Module<Tensor, Tensor> projection) => projection is Linear linear
                    ? new LoraLinear(linear, options.Rank, options.Alpha, options.Dropout, generator)
                    : throw new InvalidOperationException($"{target} is not a plain linear layer");
                if (AttentionTargets.Contains(target))
                    layer.SelfAttention.ReplaceProjection(target, Wrap);
                else
                    layer.Mlp.ReplaceProjection(target, Wrap);
            }
        }
        return AdapterParameters(module);
    }

    /// <summary>The adapter parameters (<c>….lora_A.weight</c>, <c>….lora_B.weight</c>) ordered by name.</summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> AdapterParameters(nn.Module module) =>
        module.named_parameters().Where(p => IsAdapterParameter(p.name)).OrderBy(p => p.name, StringComparer.Ordinal).ToArray();

    public static bool HasAdapters(nn.Module module) => module.named_parameters().Any(p => IsAdapterParameter(p.name));

    public static bool IsAdapterParameter(string name) =>
        name.EndsWith(".lora_A.weight", StringComparison.Ordinal) || name.EndsWith(".lora_B.weight", StringComparison.Ordinal);

    /// <summary>The wrapped projections by their module path (<c>model.layers.0.self_attn.q_proj</c>).</summary>
    public static IEnumerable<(string Path, LoraLinear Projection)> Projections(nn.Module module) =>
        module.named_modules().Where(m => m.module is LoraLinear).Select(m => (m.name, (LoraLinear)m.module));
}
