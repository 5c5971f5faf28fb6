namespace PrunerPipeline.Training.Methods;

/// <summary>Which stages of the pipeline a method runs; evaluation always runs. <see cref="PromptOnly"/> = neither.</summary>
[Flags]
public enum MethodStages
{
    /// <summary>Evaluate the base model only (e.g. with a different prompt): no pre-sampling, no training.</summary>
    PromptOnly = 0,

    /// <summary>Pre-sample K solutions per training problem from the reference model, then score them.</summary>
    Sampling = 1,

    /// <summary>Fine-tune on the scored samples (needs <see cref="Sampling"/>).</summary>
    Training = 2,

    SamplingAndTraining = Sampling | Training,

    /// <summary>
    /// Online: sampling and training alternate, one policy update at a time — each update's problems are sampled from the
    /// current policy, scored, and trained on with one optimizer step (GRPO). Implies <see cref="SamplingAndTraining"/>.
    /// </summary>
    Online = 4 | SamplingAndTraining,
}
