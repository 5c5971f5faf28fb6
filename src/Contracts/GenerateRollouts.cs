namespace PrunerPipeline.Contracts;

/// <summary>Command: pre-sample K solutions for each problem of one shard from the reference model.</summary>
public record GenerateRollouts
{
    public required string RunId { get; init; }
    /// <summary>Identifies the sampling settings (model, dataset, K, decoding, seed); runs that share it share rollouts.</summary>
    public required string SampleSetId { get; init; }
    public required int ShardIndex { get; init; }
    public required int ShardCount { get; init; }
    public required string Dataset { get; init; }
    public required IReadOnlyList<string> ProblemIds { get; init; }
    public required string BaseModel { get; init; }
    public required int SamplesPerProblem { get; init; }
    public required int MaxNewTokens { get; init; }
    public required double Temperature { get; init; }
    public required double TopP { get; init; }
    public required int Seed { get; init; }
    /// <summary>Online methods: the policy version <see cref="BaseModel"/> is (its checkpoint step; 0 = the base model), echoed in <see cref="RolloutsGenerated"/>.</summary>
    public int PolicyVersion { get; init; }
    /// <summary>
    /// Online runs with a KL penalty: the model (the run's base model) whose log-probs of every sampled token the worker
    /// records as <c>klRefLogProbs</c>, for the trainer's KL(π_θ ‖ π_ref) term; null = none.
    /// </summary>
    public string? KlReferenceModel { get; init; }
    /// <summary>
    /// Online runs scored with l1max: each problem's prompt asks for at most n tokens, n = <see cref="LengthTargetRange.Draw"/>
    /// of <see cref="Seed"/> and the problem id, recorded on its samples as <c>lengthTarget</c>; null = plain prompts.
    /// </summary>
    public LengthTargetRange? PromptLengthTargets { get; init; }
}
