namespace PrunerPipeline.RolloutService;

/// <summary>How a shard is sampled: K samples per problem, decoding settings, and the run seed every sample's own seed derives from.</summary>
public sealed record RolloutSamplingSettings(int SamplesPerProblem, int MaxNewTokens, double Temperature, double TopP, int Seed, int BatchSize);
