namespace PrunerPipeline.RolloutService;

/// <summary>How a shard is sampled: K samples per problem, decoding settings, and the run seed every sample's own seed derives from.</summary>
/// <param name="KlReferenceFolder">
/// The local folder of the model whose log-probs of each sample are recorded as <c>klRefLogProbs</c> (an online run's KL
/// reference); null = none.
/// </param>
public sealed record RolloutSamplingSettings(int SamplesPerProblem, int MaxNewTokens, double Temperature, double TopP, int Seed, int BatchSize,
    string? KlReferenceFolder = null);
