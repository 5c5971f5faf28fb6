namespace PrunerPipeline.Contracts;

/// <summary>
/// L1's length-conditioned prompts (Aggarwal and Welleck, arXiv 2503.04697): each problem of an online update is asked
/// for at most n tokens ("Think for maximum n tokens."), n drawn per problem and update uniformly from
/// [<see cref="Min"/>, <see cref="Max"/>], and the sample's reward is scored against its own n. L1 draws n from
/// [100, 4000]; here the range is [⌈t/2⌉, 2t] around the run's <c>lengthTarget</c> t, within <c>maxNewTokens</c>.
/// Evaluation asks with t itself.
/// </summary>
public sealed record LengthTargetRange(int Min, int Max)
{
    /// <summary>
    /// The target an online run's prompts ask for: its <c>lengthTarget</c> when it is scored with l1max and
    /// <see cref="StartPruningRun.LengthTargetInPrompt"/> holds (null = on except on the built-in "synthetic" task), else
    /// null (offline methods keep one run-wide target and plain prompts, so their reference samples stay shareable).
    /// </summary>
    public static int? PromptTarget(StartPruningRun run) =>
        run.LengthReward == LengthRewardNames.L1Max && (run.LengthTargetInPrompt ?? !run.TrainingDataset.StartsWith("synthetic", StringComparison.Ordinal))
            ? run.LengthTarget
            : null;

    /// <summary>The training range of an online run whose prompts carry a target (<see cref="PromptTarget"/>); null for any other run.</summary>
    public static LengthTargetRange? For(StartPruningRun run)
    {
        if (PromptTarget(run) is not { } target)
        {
            return null;
        }
        var min = Math.Max(1, (target + 1) / 2);
        return new LengthTargetRange(min, Math.Max(min, Math.Min(run.MaxNewTokens, 2 * target)));
    }

    /// <summary>Problem <paramref name="problemId"/>'s target under <paramref name="seed"/>: stable across processes and redeliveries (FNV-1a).</summary>
    public int Draw(int seed, string problemId)
    {
        var hash = 14695981039346656037UL ^ (uint)seed;
        foreach (var c in problemId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        hash ^= hash >> 29;
        return Min + (int)(hash % (ulong)(Max - Min + 1));
    }
}
