namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// ThinkPrune's iterative pruning (arXiv 2504.01296): training runs in rounds, each with a stricter token limit (the
/// paper's rounds are 4k → 3k → 2k tokens). A stage's limit holds from its <see cref="Stage.StartStep"/> until the
/// next stage starts; the first stage starts at step 0 and limits never loosen.
/// </summary>
public sealed class LengthLimitSchedule
{
    /// <summary>From optimizer step <paramref name="StartStep"/> on, a solution longer than <paramref name="Limit"/> tokens earns 0.</summary>
    public readonly record struct Stage(int StartStep, int Limit);

    public LengthLimitSchedule(IReadOnlyList<Stage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            throw new ArgumentException("A length limit schedule needs at least one stage", nameof(stages));
        }
        if (stages[0].StartStep != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stages), stages[0].StartStep, "The first stage's StartStep must be 0");
        }
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i].Limit <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stages), stages[i].Limit, $"Stage {i}'s Limit must be > 0 tokens");
            }
            if (i > 0 && stages[i].StartStep <= stages[i - 1].StartStep)
            {
                throw new ArgumentOutOfRangeException(nameof(stages), stages[i].StartStep, $"Stage {i}'s StartStep must be after stage {i - 1}'s ({stages[i - 1].StartStep})");
            }
            if (i > 0 && stages[i].Limit > stages[i - 1].Limit)
            {
                throw new ArgumentOutOfRangeException(nameof(stages), stages[i].Limit, $"Stage {i}'s Limit must not exceed stage {i - 1}'s ({stages[i - 1].Limit}): the limit only tightens");
            }
        }

        Stages = stages.ToArray();
    }

    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>
    /// The paper's three rounds scaled to our lengths: limits <paramref name="firstLimit"/>, ¾ and ½ of it (4k : 3k : 2k),
    /// each round <paramref name="stepsPerRound"/> optimizer steps long.
    /// </summary>
    public static LengthLimitSchedule ThinkPruneRounds(int firstLimit, int stepsPerRound)
    {
        if (firstLimit < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(firstLimit), firstLimit, "firstLimit must be ≥ 2 tokens so that every round's limit is ≥ 1");
        }
        if (stepsPerRound <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepsPerRound), stepsPerRound, "stepsPerRound must be > 0");
        }

        return new LengthLimitSchedule(
        [
            new Stage(0, firstLimit),
            new Stage(stepsPerRound, firstLimit * 3 / 4),
            new Stage(2 * stepsPerRound, firstLimit / 2),
        ]);
    }

    /// <summary>The limit in force at optimizer step <paramref name="step"/> (≥ 0).</summary>
    public int LimitAt(int step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "step must be ≥ 0");
        }
        return Stages.Last(s => s.StartStep <= step).Limit;
    }
}
