using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>
/// The Hugging Face Qwen2ForCausalLM / LlamaForCausalLM network. Parameter names equal the Hugging Face state-dict
/// names (<c>model.layers.0.self_attn.q_proj.weight</c>, ...); with tied embeddings there is no <c>lm_head</c> and the
/// logits reuse <c>model.embed_tokens.weight</c>.
/// </summary>
public sealed class Qwen2ForCausalLM : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Hugging Face state-dict names
    private readonly Qwen2Model model;
    private readonly Linear? lm_head;
#pragma warning restore IDE1006

    public Qwen2ForCausalLM(ModelConfig config) : base(nameof(Qwen2ForCausalLM))
    {
        Config = config;
        model = new Qwen2Model(config);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    public Qwen2Model Decoder => model;

    /// <summary>Causal logits (B, T, vocab) of unpadded <paramref name="inputIds"/> (B, T) at positions 0..T-1.</summary>
    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        var positions = arange(length, ScalarType.Int64, inputIds.device).unsqueeze(0).expand(inputIds.shape[0], length);
        var valid = ones([inputIds.shape[0], length], ScalarType.Bool, inputIds.device);
        var hidden = model.forward(inputIds, positions, AttentionMask.Causal(valid, 0, length), null);
        return Logits(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Logits (…, vocab) of final hidden states (…, hidden).</summary>
    public Tensor Logits(Tensor hidden) =>
        lm_head is not null ? lm_head.Project(hidden) : ResidentWeights.Linear(hidden, model.EmbedTokens.weight!);
}
