namespace PrunerPipeline.Contracts;

/// <summary>
/// Command (orchestrator to its own saga): issue the current stage's outstanding commands again. Sent for every
/// unfinished run when an orchestrator starts (a command may have been lost between saving the run's state and
/// publishing), and when a stage has made no progress past its deadline. Every consumer is idempotent, so a command
/// that did arrive and is issued again costs at most repeated work, never duplicated results.
/// </summary>
public record RedriveRun
{
    public required string RunId { get; init; }
    /// <summary>True on orchestrator start-up: re-issue at once, without counting towards the run's re-drive limit.</summary>
    public bool OnStartup { get; init; }
}
