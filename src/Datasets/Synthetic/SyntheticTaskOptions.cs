namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>
/// Knobs of the synthetic long-thought task. The defaults are the built-in model's task; changing any of them
/// gives a different task (and different problems for the same ids).
/// </summary>
public sealed record SyntheticTaskOptions
{
    public int Seed { get; init; } = SyntheticTask.DefaultSeed;

    /// <summary>
    /// 1: re-checks copy the first pass and never change the answer. 2: the first pass makes real, uncorrected slips
    /// (<see cref="MaxSlipRate"/>, growing with the level, none at <see cref="MinLevel"/>) and a re-check recomputes
    /// and corrects them, so re-checking pays on hard problems only. Questions and gold answers are the same in both.
    /// </summary>
    public int Version { get; init; } = 1;

    /// <summary>
    /// Task v2: chance that the first pass of a <see cref="MaxLevel"/> problem slips (one step written wrong and
    /// carried on, uncorrected); it falls linearly to 0 at <see cref="MinLevel"/>. Ignored by v1.
    /// </summary>
    public double MaxSlipRate { get; init; } = 0.5;

    /// <summary>Fewest chained operations (level 1 = one operation).</summary>
    public int MinLevel { get; init; } = 1;

    /// <summary>Most chained operations.</summary>
    public int MaxLevel { get; init; } = 4;

    /// <summary>Smallest start number.</summary>
    public int MinStart { get; init; } = 10;

    /// <summary>Largest start number and largest running total.</summary>
    public int MaxValue { get; init; } = 49;

    /// <summary>Largest operand of an operation.</summary>
    public int MaxOperand { get; init; } = 9;

    /// <summary>Most re-check passes of a normal teacher trace (drawn uniformly from 0 to this, independently of the level).</summary>
    public int MaxRechecks { get; init; } = 5;

    /// <summary>Most re-check passes of a teacher trace whose prompt carries <see cref="SyntheticTask.BriefInstruction"/>.</summary>
    public int MaxBriefRechecks { get; init; } = 3;

    /// <summary>Chance that a written step first gets a wrong result, followed by a correction line.</summary>
    public double DetourProbability { get; init; } = 0.04;

    /// <summary>Fraction of training examples whose prompt carries <see cref="SyntheticTask.BriefInstruction"/>.</summary>
    public double BriefFraction { get; init; } = 0.12;

    /// <summary>Size of the validation split (generated first; no other split repeats its questions).</summary>
    public int ValidationSize { get; init; } = 512;

    /// <summary>Size of the test split (never repeats a validation question; train never repeats either).</summary>
    public int TestSize { get; init; } = 512;

    /// <summary>Task v2's chance of an uncorrected first-pass slip at <paramref name="level"/> (0 in v1).</summary>
    public double SlipRate(int level) =>
        Version < 2 || MaxLevel == MinLevel ? 0 : MaxSlipRate * Math.Clamp(level - MinLevel, 0, MaxLevel - MinLevel) / (MaxLevel - MinLevel);

    internal void Validate()
    {
        if (MinLevel < 1 || MaxLevel < MinLevel)
            throw new ArgumentException($"MinLevel/MaxLevel must satisfy 1 <= MinLevel <= MaxLevel (got {MinLevel}, {MaxLevel})");
        if (MinStart < 0 || MaxValue <= MinStart)
            throw new ArgumentException($"MinStart/MaxValue must satisfy 0 <= MinStart < MaxValue (got {MinStart}, {MaxValue})");
        if (MaxOperand < 1)
            throw new ArgumentException($"MaxOperand must be >= 1 (got {MaxOperand})");
        if (MaxRechecks < 0 || MaxBriefRechecks < 0)
            throw new ArgumentException("MaxRechecks and MaxBriefRechecks must be >= 0");
        if (DetourProbability is < 0 or > 1 || BriefFraction is < 0 or > 1)
            throw new ArgumentException("DetourProbability and BriefFraction must be within [0, 1]");
        if (Version is not (1 or 2))
            throw new ArgumentException($"Version must be 1 or 2 (got {Version})");
        if (MaxSlipRate is < 0 or > 1)
            throw new ArgumentException($"MaxSlipRate must be within [0, 1] (got {MaxSlipRate})");
        if (ValidationSize < 0 || TestSize < 0)
            throw new ArgumentException("ValidationSize and TestSize must be >= 0");
    }
}
