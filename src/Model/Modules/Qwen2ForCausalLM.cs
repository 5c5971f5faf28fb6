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

    /// <param name="dtype">the parameters' dtype from the start (a 16-bit frozen model is never built in float32 first)</param>
    public Qwen2ForCausalLM(ModelConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(Qwen2ForCausalLM))
    {
        Config = config;
        model = new Qwen2Model(config, dtype);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, dtype: dtype);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <summary>Logits of more bytes than this take the chunked path (tests lower it to drive small models through it).</summary>
    internal long ChunkedFromBytes { get; set; } = ChunkedTokenLogProbs.ChunkBytes;

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

    /// <summary>
    /// log softmax(logits)[target] in float32 for final hidden states (N, hidden) and target ids (N). When the (N, vocab)
    /// logits would pass <see cref="ChunkedTokenLogProbs.ChunkBytes"/> they are computed a chunk of rows at a time
    /// (<see cref="ChunkedTokenLogProbs"/>); smaller ones (the built-in model's) take the plain path, unchanged.
    /// </summary>
    public Tensor TargetLogProbs(Tensor hidden, Tensor targets)
    {
        var weight = lm_head?.weight ?? model.EmbedTokens.weight!;
        if (hidden.shape[0] * Config.VocabSize * sizeof(float) <= ChunkedFromBytes)
        {
            using var scope = NewDisposeScope();
            var logProbs = Logits(hidden).to_type(ScalarType.Float32).log_softmax(-1);
            return logProbs.gather(1, targets.unsqueeze(1)).squeeze(1).MoveToOuterDisposeScope();
        }
        return ChunkedTokenLogProbs.Forward(hidden, weight, targets);
    }

    /// <summary>Logits (…, vocab) of final hidden states (…, hidden).</summary>
    public Tensor Logits(Tensor hidden) =>
        lm_head is not null ? lm_head.Project(hidden) : ResidentWeights.Linear(hidden, model.EmbedTokens.weight!);
}
