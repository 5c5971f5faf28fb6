namespace PrunerPipeline.Cli.Demo;

/// <summary>A demo stage failed; <see cref="Stage"/> names it so the user knows where to look.</summary>
public sealed class DemoStageFailedException(string stage, string reason, Exception? inner = null)
    : Exception($"stage '{stage}' failed: {reason}", inner)
{
    public string Stage { get; } = stage;
}
