namespace PrunerPipeline.LongThought.Pilot;

/// <summary>How the pilot samples: <see cref="SamplesPerProblem"/> solutions per problem at this temperature.</summary>
public sealed record PilotOptions
{
    public int SamplesPerProblem { get; init; } = 64;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    public int MaxNewTokens { get; init; } = 320;

    /// <summary>Sequences generated together (one batch of the sampler).</summary>
    public int BatchSize { get; init; } = 64;

    public int Seed { get; init; } = 0;

    /// <summary>System prompt for the chat template; null for the built-in model, which was trained without one.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Text appended to every user turn (e.g. the Fast-solving instruction); null for none.</summary>
    public string? UserSuffix { get; init; }
}
