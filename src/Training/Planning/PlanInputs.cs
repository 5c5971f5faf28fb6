namespace PrunerPipeline.Training.Planning;

/// <summary>What a memory plan is asked about: the model, the run's sizes and the machine.</summary>
/// <param name="Config">the model's config.json</param>
/// <param name="StoredBytesPerParameter">2 for a BF16/F16 checkpoint, 4 for F32</param>
/// <param name="LoraRank">null = full fine-tuning; r = a LoRA adapter of rank r on every attention and MLP projection</param>
/// <param name="Training">false for a method that trains nothing (Fast-solving prompt)</param>
/// <param name="TrainBatch">sequences per optimiser step (the run's <c>batchSize</c>)</param>
/// <param name="PromptTokens">tokens of a rendered prompt (system + question)</param>
/// <param name="MaxNewTokens">completion tokens (the run's <c>maxNewTokens</c>)</param>
/// <param name="SamplesPerProblem">K</param>
/// <param name="RolloutBatch">sequences a rollout worker decodes together (<c>Rollouts:BatchSize</c>)</param>
/// <param name="EvalBatch">sequences evaluation decodes together (<c>Eval:BatchSize</c>)</param>
/// <param name="GradientCheckpointing">recompute each decoder layer in the backward pass instead of keeping its activations</param>
/// <param name="Device">cpu or cuda</param>
/// <param name="MemoryBytes">the device's memory (RAM for cpu)</param>
/// <param name="MaxTokensPerMicroBatch">the trainer's micro-batch bound (<c>Trainer:MaxTokensPerMicroBatch</c>): activations are held for one micro-batch at a time</param>
public sealed record PlanInputs(
    PrunerPipeline.Model.ModelConfig Config,
    int StoredBytesPerParameter,
    int? LoraRank,
    bool Training,
    int TrainBatch,
    int PromptTokens,
    int MaxNewTokens,
    int SamplesPerProblem,
    int RolloutBatch,
    int EvalBatch,
    bool GradientCheckpointing,
    string Device,
    long MemoryBytes,
    int MaxTokensPerMicroBatch = 4096);
