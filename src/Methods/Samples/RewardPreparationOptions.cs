namespace PrunerPipeline.Training.Samples;

/// <summary>
/// How the raw R_LH rewards become advantages, and which samples enter training.
/// <see cref="Authors"/> mirrors the authors' released code (2 random samples per problem, reward clipped to [−2, 4]
/// then standardised over the training set); <see cref="Raw"/> is the paper's equation as written (all K samples, Â = R_LH).
/// </summary>
public sealed record RewardPreparationOptions
{
    /// <summary>Samples per problem that enter training, chosen at random with <see cref="Seed"/>; 0 = all K.</summary>
    public int SamplesPerProblem { get; init; }

    /// <summary>Lower clip bound of the reward, or null for none.</summary>
    public double? ClipMin { get; init; }

    /// <summary>Upper clip bound of the reward, or null for none.</summary>
    public double? ClipMax { get; init; }

    /// <summary>Subtract the mean and divide by the standard deviation over the whole (selected) training set.</summary>
    public bool Standardise { get; init; }

    public int Seed { get; init; }

    public static RewardPreparationOptions Raw { get; } = new();

    public static RewardPreparationOptions Authors { get; } = new()
    {
        SamplesPerProblem = 2,
        ClipMin = -2,
        ClipMax = 4,
        Standardise = true,
    };
}
