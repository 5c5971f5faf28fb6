namespace PrunerPipeline.Contracts;

/// <summary>What a run does to the reference model (DESIGN.md §1.3–1.4).</summary>
public enum PruningMethod
{
    /// <summary>Length-Harmonizing Fine-Tuning: off-policy PPO-clip with the R_LH reward.</summary>
    O1Pruner,
    /// <summary>Supervised fine-tuning on the two shortest correct samples per problem.</summary>
    Sft,
    /// <summary>DPO with (shortest correct, longest correct) pairs.</summary>
    Dpo,
    /// <summary>No training: the reference model is asked to be brief.</summary>
    FastPrompt,
}
