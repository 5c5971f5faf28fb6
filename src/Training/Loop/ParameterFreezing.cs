using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>
/// Freezes parameters by their Hugging Face names: <c>model.embed_tokens.*</c> and <c>model.layers.{i}.*</c> for i &lt; N.
/// A model with LoRA adapters trains its adapters only: every base weight stays frozen, so only the adapters get
/// gradients and optimizer moments.
/// </summary>
public static partial class ParameterFreezing
{
    /// <summary>Sets requires_grad off on the matching parameters; returns the trainable ones, ordered by name.</summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> Apply(nn.Module module, bool freezeEmbeddings, int freezeFirstLayers)
    {
        var trainable = new List<(string, Parameter)>();
        var adapterOnly = PrunerPipeline.Model.Adapters.LoraInjection.HasAdapters(module);
        foreach (var (name, parameter) in module.named_parameters())
        {
            var frozen = (adapterOnly && !PrunerPipeline.Model.Adapters.LoraInjection.IsAdapterParameter(name))
                || (freezeEmbeddings && name.Contains("embed_tokens", StringComparison.Ordinal))
                || (LayerIndex(name) is { } layer && layer < freezeFirstLayers);
            parameter.requires_grad = !frozen;
            if (!frozen)
            {
                trainable.Add((name, parameter));
            }
        }
        return trainable.OrderBy(p => p.Item1, StringComparer.Ordinal).ToArray();
    }

    internal static int? LayerIndex(string parameterName)
    {
        var match = LayerPattern().Match(parameterName);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"(?:^|\.)layers\.(\d+)\.")]
    private static partial Regex LayerPattern();
}
