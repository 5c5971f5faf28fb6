namespace PrunerPipeline.Model.Shapes;

/// <summary>
/// The Hugging Face state-dict of a Qwen2 / Llama model, computed from its config alone (no module is built, so a
/// 7B model's layout costs nothing): names and shapes in the order Hugging Face saves them. Equal to
/// <c>Qwen2ForCausalLM</c>'s <c>named_parameters()</c> (a test holds the two together).
/// </summary>
public static class CheckpointLayout
{
    public static IReadOnlyList<(string Name, long[] Shape)> Tensors(ModelConfig config)
    {
        long hidden = config.HiddenSize, intermediate = config.IntermediateSize;
        long q = (long)config.NumAttentionHeads * config.HeadDimension, kv = (long)config.KeyValueHeads * config.HeadDimension;
        var tensors = new List<(string, long[])> { ("model.embed_tokens.weight", [config.VocabSize, hidden]) };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var prefix = $"model.layers.{i}.";
            tensors.Add((prefix + "self_attn.q_proj.weight", [q, hidden]));
            if (config.HasAttentionBias)
                tensors.Add((prefix + "self_attn.q_proj.bias", [q]));
            tensors.Add((prefix + "self_attn.k_proj.weight", [kv, hidden]));
            if (config.HasAttentionBias)
                tensors.Add((prefix + "self_attn.k_proj.bias", [kv]));
            tensors.Add((prefix + "self_attn.v_proj.weight", [kv, hidden]));
            if (config.HasAttentionBias)
                tensors.Add((prefix + "self_attn.v_proj.bias", [kv]));
            tensors.Add((prefix + "self_attn.o_proj.weight", [hidden, q]));
            tensors.Add((prefix + "mlp.gate_proj.weight", [intermediate, hidden]));
            if (config.MlpBias)
                tensors.Add((prefix + "mlp.gate_proj.bias", [intermediate]));
            tensors.Add((prefix + "mlp.up_proj.weight", [intermediate, hidden]));
            if (config.MlpBias)
                tensors.Add((prefix + "mlp.up_proj.bias", [intermediate]));
            tensors.Add((prefix + "mlp.down_proj.weight", [hidden, intermediate]));
            if (config.MlpBias)
                tensors.Add((prefix + "mlp.down_proj.bias", [hidden]));
            tensors.Add((prefix + "input_layernorm.weight", [hidden]));
            tensors.Add((prefix + "post_attention_layernorm.weight", [hidden]));
        }
        tensors.Add(("model.norm.weight", [hidden]));
        if (!config.TieWordEmbeddings)
            tensors.Add(("lm_head.weight", [config.VocabSize, hidden]));
        return tensors;
    }

    /// <summary>Parameters of the model: Σ over <see cref="Tensors"/>.</summary>
    public static long ParameterCount(ModelConfig config) => Tensors(config).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
}
