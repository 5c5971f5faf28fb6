namespace PrunerPipeline.Contracts;

/// <summary>How a run turns (clipped) R_LH rewards into PPO advantages (the run's <c>advantage</c>: "raw", "standardised" or "batch").</summary>
public enum AdvantageMode
{
    /// <summary>Â = R_LH as the paper's equation writes it: zero for a sample as long and as accurate as the reference's average.</summary>
    Raw,

    /// <summary>(R − mean) / std over the whole training set, as the authors' released code does.</summary>
    Standardised,

    /// <summary>(R − mean) / std within each optimizer step's batch.</summary>
    Batch,
}
