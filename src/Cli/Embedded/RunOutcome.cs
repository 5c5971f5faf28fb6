namespace PrunerPipeline.Cli.Embedded;

/// <summary>How a followed run ended: Completed, Faulted, Rejected or Cancelled, with the event that ended it.</summary>
public sealed record RunOutcome(string RunId, string State, object FinalEvent)
{
    public bool Succeeded => State == "Completed";
}
