using System.Text.Json;

namespace PrunerPipeline.Model.Shapes;

/// <summary>
/// The published models the project plans for, with the fields of their Hugging Face <c>config.json</c> (values as
/// published; fields this decoder does not read are kept in <see cref="ModelConfig.Extra"/> so the written config
/// reads like the original).
/// </summary>
public static class ModelShapes
{
    public static readonly ModelShape Qwen25_05B = new("qwen2.5-0.5b", "Qwen/Qwen2.5-0.5B", Qwen2(
        hidden: 896, layers: 24, heads: 14, kvHeads: 2, intermediate: 4864, vocab: 151936, tied: true, ropeTheta: 1e6,
        maxPositions: 32768, bos: 151643, eos: 151643, slidingWindow: 32768, maxWindowLayers: 24), Shards: 1);

    public static readonly ModelShape R1DistillQwen15B = new("r1-distill-qwen-1.5b", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", Qwen2(
        hidden: 1536, layers: 28, heads: 12, kvHeads: 2, intermediate: 8960, vocab: 151936, tied: false, ropeTheta: 10000,
        maxPositions: 131072, bos: 151646, eos: 151643, slidingWindow: 4096, maxWindowLayers: 21), Shards: 1);

    public static readonly ModelShape Qwen25_7B = new("qwen2.5-7b", "Qwen/Qwen2.5-7B", Qwen2(
        hidden: 3584, layers: 28, heads: 28, kvHeads: 4, intermediate: 18944, vocab: 152064, tied: false, ropeTheta: 1e6,
        maxPositions: 131072, bos: 151643, eos: 151643, slidingWindow: 131072, maxWindowLayers: 28), Shards: 4);

    public static readonly ModelShape Qwen25_32B = new("qwen2.5-32b", "Qwen/Qwen2.5-32B", Qwen2(
        hidden: 5120, layers: 64, heads: 40, kvHeads: 8, intermediate: 27648, vocab: 152064, tied: false, ropeTheta: 1e6,
        maxPositions: 131072, bos: 151643, eos: 151643, slidingWindow: 131072, maxWindowLayers: 64), Shards: 17);

    public static readonly IReadOnlyList<ModelShape> All = [Qwen25_05B, R1DistillQwen15B, Qwen25_7B, Qwen25_32B];

    public static IReadOnlyList<string> Names => All.Select(s => s.Name).ToArray();

    /// <summary>The shape of that name, or null.</summary>
    public static ModelShape? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private static ModelConfig Qwen2(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab, bool tied, double ropeTheta,
        int maxPositions, int bos, int eos, int slidingWindow, int maxWindowLayers) => new()
    {
        Architectures = ["Qwen2ForCausalLM"],
        ModelType = "qwen2",
        VocabSize = vocab,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        MaxPositionEmbeddings = maxPositions,
        RopeTheta = ropeTheta,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = tied,
        BosTokenId = bos,
        EosTokenId = eos,
        TorchDtype = "bfloat16",
        Extra = new Dictionary<string, JsonElement>
        {
            ["attention_dropout"] = JsonSerializer.SerializeToElement(0.0),
            ["initializer_range"] = JsonSerializer.SerializeToElement(0.02),
            ["max_window_layers"] = JsonSerializer.SerializeToElement(maxWindowLayers),
            ["sliding_window"] = JsonSerializer.SerializeToElement(slidingWindow),
            ["use_cache"] = JsonSerializer.SerializeToElement(true),
        },
    };
}
