using System.Text.RegularExpressions;

namespace PrunerPipeline.Contracts;

/// <summary>
/// Iterated O1-Pruner (<see cref="StartPruningRun.Rounds"/>): round 1 is the run itself; round r ≥ 2 is a run of its own,
/// <c>{runId}.round{r}</c>, which the first run's saga submits once round r−1 is evaluated and follows to its end. Every
/// stage of a round (re-drive, resume, checkpoints, caches) is then an ordinary run's.
/// </summary>
public static partial class RoundRuns
{
    /// <summary>How many characters ".round{r}" adds to the run id (r is one digit: at most 8 rounds).</summary>
    public const int SuffixLength = 7;

    public static string RunId(string rootRunId, int round) => $"{rootRunId}.round{round}";

    /// <summary>The run a round run reports to (its first round), or null when <paramref name="runId"/> names no round ≥ 2.</summary>
    public static string? RootOf(string? runId) =>
        runId is not null && RoundSuffix().Match(runId) is { Success: true } match ? match.Groups["root"].Value : null;

    /// <summary>
    /// Round <paramref name="round"/>'s own run: the first round's settings, sampled from and trained on from
    /// <paramref name="previousCheckpoint"/> (round r−1's final checkpoint), evaluated against the original reference, with
    /// the first round's L̄_ref/Ā_ref when the baseline is "original".
    /// </summary>
    public static StartPruningRun Start(StartPruningRun root, int round, string previousCheckpoint) => root with
    {
        RunId = RunId(root.RunId, round),
        BaseModel = previousCheckpoint,
        Rounds = 1,
        ReferenceModel = root.EvaluationReference(),
        BaselineRun = root.Baseline == RoundBaseline.Original ? root.BaselineRun ?? root.RunId : null,
    };

    [GeneratedRegex(@"^(?<root>.+)\.round[2-9]$")]
    private static partial Regex RoundSuffix();
}
