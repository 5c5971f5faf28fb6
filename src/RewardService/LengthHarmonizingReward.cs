namespace PrunerPipeline.RewardService;

/// <summary>
/// The Length-Harmonizing reward of O1-Pruner (Luo et al., arXiv 2501.12570, the definition of R_LH in the method
/// section; DESIGN.md §1.2):
/// <code>
///     R_LH(x, y) = L̄_ref(x) / L(y) − 1 + λ · (A(x, y) − Ā_ref(x))
/// </code>
/// where L̄_ref(x) and Ā_ref(x) are the mean length and mean accuracy of the reference model's K pre-sampled solutions
/// of x (<see cref="ReferenceBaseline"/>), L(y) is y's length in tokens and A(x, y) ∈ {0, 1} its correctness.
/// The first term rewards being shorter than the reference's own average on this problem; the second turns the
/// accuracy constraint into a penalty (λ = 2 was best in the paper).
/// <para>
/// Deviations: none in the formula. L(y) is floored at 1 token so an empty completion cannot divide by zero.
/// The released code's clipping to [−2, 4] and standardisation over the training set are training-time choices and
/// are left to the trainer; the reward stored here is the paper's raw R_LH.
/// </para>
/// </summary>
public sealed class LengthHarmonizingReward
{
    public LengthHarmonizingReward(double lambda)
    {
        if (!double.IsFinite(lambda) || lambda < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a finite number ≥ 0");
        }

        Lambda = lambda;
    }

    /// <summary>λ, the weight of the accuracy term.</summary>
    public double Lambda { get; }

    /// <summary>L̄_ref(x) and Ā_ref(x) over one problem's K reference samples.</summary>
    public static ReferenceBaseline Baseline(IReadOnlyCollection<(int Length, bool Correct)> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("A reference baseline needs at least one sample", nameof(samples));
        }

        return new ReferenceBaseline(
            MeanLength: samples.Average(s => (double)s.Length),
            MeanAccuracy: samples.Average(s => s.Correct ? 1.0 : 0.0));
    }

    /// <summary>R_LH(x, y) for a solution of <paramref name="length"/> tokens that is <paramref name="correct"/> or not.</summary>
    public double Score(ReferenceBaseline baseline, int length, bool correct) =>
        baseline.MeanLength / Math.Max(length, 1) - 1 + Lambda * ((correct ? 1.0 : 0.0) - baseline.MeanAccuracy);
}
