namespace PrunerPipeline.Contracts;

/// <summary>
/// The <c>adapter</c> of a <see cref="StartPruningRun"/>: train low-rank adapters (LoRA, Hu et al. 2021,
/// arXiv 2106.09685) on a frozen base instead of every weight. <c>{"type": "lora", "rank": 16, "alpha": 32,
/// "dropout": 0.0, "targets": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]}</c>.
/// Checkpoints of such a run are PEFT adapter folders (adapter_config.json + adapter_model.safetensors).
/// </summary>
public record AdapterSettings
{
    /// <summary>"lora" (the only kind so far).</summary>
    public string Type { get; init; } = "lora";

    /// <summary>r, the rank of the update B·A.</summary>
    public int Rank { get; init; } = 16;

    /// <summary>α: the update is scaled by α / r.</summary>
    public double Alpha { get; init; } = 32;

    /// <summary>Dropout on the adapter's input, in [0, 1).</summary>
    public double Dropout { get; init; }

    /// <summary>Projections to adapt, by their Hugging Face names.</summary>
    public IReadOnlyList<string> Targets { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
}
