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
}
