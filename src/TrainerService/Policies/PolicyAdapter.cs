using PrunerPipeline.Model.Adapters;

namespace PrunerPipeline.TrainerService.Policies;

/// <summary>
/// How an adapter run's policy is built: LoRA <see cref="Options"/> injected into the base (A drawn from
/// <see cref="Seed"/>), or, when resuming, the adapter weights of <see cref="ResumeFolder"/>; checkpoints name
/// <see cref="BaseModel"/> (the run's model reference) as their base.
/// </summary>
public sealed record PolicyAdapter(LoraOptions Options, string BaseModel, string? ResumeFolder, int Seed);
