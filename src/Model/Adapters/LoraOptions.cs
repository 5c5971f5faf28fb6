namespace PrunerPipeline.Model.Adapters;

/// <summary>
/// A LoRA adapter's shape (Hu et al. 2021, arXiv 2106.09685): every targeted projection W gains a trainable update
/// (α / r) · B · A, A (r, in), B (out, r). PEFT's <c>LoraConfig</c> fields under our names.
/// </summary>
public sealed record LoraOptions
{
    /// <summary>The projections of a Qwen2 / Llama decoder layer an adapter can target.</summary>
    public static readonly IReadOnlyList<string> KnownTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public int Rank { get; init; } = 16;

    public double Alpha { get; init; } = 32;

    public double Dropout { get; init; }

    public IReadOnlyList<string> Targets { get; init; } = KnownTargets;

    /// <summary>α / r, the factor on B · A (PEFT without rsLoRA).</summary>
    public double Scaling => Alpha / Rank;

    /// <summary>One reason per bad field, naming it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Rank < 1)
            problems.Add($"rank: {Rank}; must be at least 1");
        if (!double.IsFinite(Alpha) || Alpha <= 0)
            problems.Add($"alpha: {Alpha}; must be greater than 0");
        if (!double.IsFinite(Dropout) || Dropout is < 0 or >= 1)
            problems.Add($"dropout: {Dropout}; must be in [0, 1)");
        if (Targets.Count == 0)
            problems.Add($"targets: empty; name at least one of {string.Join(", ", KnownTargets)}");
        foreach (var unknown in Targets.Where(t => !KnownTargets.Contains(t)).Distinct())
            problems.Add($"targets: '{unknown}' is not a projection of the decoder; allowed: {string.Join(", ", KnownTargets)}");
        return problems;
    }
}
