namespace PrunerPipeline.Contracts;

/// <summary>Where the importance ratio π_θ/π_ref is taken (the run's <c>ratioGranularity</c>: "token" or "sequence").</summary>
public enum RatioGranularity
{
    /// <summary>Per token, r_t = π_θ(y_t|x,y_&lt;t) / π_ref(y_t|x,y_&lt;t): the paper's equation.</summary>
    Token,

    /// <summary>Per sequence, r = exp(mean_t log π_θ − mean_t log π_ref): the authors' released code.</summary>
    Sequence,
}
