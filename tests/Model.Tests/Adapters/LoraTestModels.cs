using PrunerPipeline.Model.Adapters;

namespace PrunerPipeline.Model.Tests.Adapters;

/// <summary>Small decoders for the adapter tests: the qwen2-tiny fixture (q/k/v biases, untied head) and helpers.</summary>
internal static class LoraTestModels
{
    public static readonly LoraOptions AllTargets = new() { Rank = 4, Alpha = 8 };

    public static ModelConfig SmallConfig(bool tied = false) => new()
    {
        VocabSize = 64,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 128,
        TieWordEmbeddings = tied,
        EosTokenId = 1,
    };

    public static long[,] Ids => new long[,] { { 3, 17, 200, 5, 9, 11, 42, 7 }, { 8, 1, 99, 300, 2, 64, 5, 6 } };

    /// <summary>Gives every B a non-zero value so the adapter changes the output.</summary>
    public static void Perturb(Model.Modules.Qwen2ForCausalLM module, int seed)
    {
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in LoraInjection.AdapterParameters(module).Where(p => p.Name.EndsWith("lora_B.weight", StringComparison.Ordinal)))
        {
            parameter.normal_(0, 0.05, generator);
        }
    }

    public static Tensor Logits(CausalLM model, long[,] ids)
    {
        using var noGrad = no_grad();
        return model.Module.forward(tensor(ids));
    }
}
