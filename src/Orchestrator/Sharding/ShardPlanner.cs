using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PrunerPipeline.Contracts;

namespace PrunerPipeline.Orchestrator.Sharding;

/// <summary>Picks a run's training problems (a seeded sample of the split) and cuts them into shards of <c>ShardSize</c>.</summary>
public static class ShardPlanner
{
    public static ShardPlan Plan(StartPruningRun run, IReadOnlyList<string> availableProblemIds)
    {
        var chosen = Choose(availableProblemIds, run.TrainingProblems, run.Seed);
        var shards = chosen.Chunk(run.ShardSize).Select(chunk => (IReadOnlyList<string>)chunk).ToList();
        return new ShardPlan
        {
            RunId = run.RunId,
            SampleSetId = SampleSetId(run, chosen),
            Dataset = run.TrainingDataset,
            Shards = shards,
        };
    }

    /// <summary>
    /// An online method's plan: update t takes the next <c>ProblemsPerStep</c> problems of a per-epoch seeded shuffle of
    /// the chosen problems (an epoch ends when every problem was visited once; a batch never straddles two epochs, so a
    /// problem is never twice in one update), cut into shards of <c>ShardSize</c>. Each update's shards are sampled from
    /// the policy of their time, so their sample sets are named per policy version (<see cref="OnlineSampleSetId"/>).
    /// </summary>
    public static ShardPlan PlanOnline(StartPruningRun run, IReadOnlyList<string> availableProblemIds)
    {
        var chosen = Choose(availableProblemIds, run.TrainingProblems, run.Seed);
        var perStep = Math.Min(run.ProblemsPerStep, chosen.Count);
        var shardsPerStep = (perStep + run.ShardSize - 1) / run.ShardSize;
        var shards = new List<IReadOnlyList<string>>(run.OnlineSteps * shardsPerStep);
        var epoch = -1;
        var position = chosen.Count;
        string[] order = [];
        for (var step = 1; step <= run.OnlineSteps; step++)
        {
            if (position + perStep > chosen.Count)
            {
                epoch++;
                order = chosen.ToArray();
                new Random(unchecked(run.Seed * 7919 + epoch)).Shuffle(order);
                position = 0;
            }
            var batch = order[position..(position + perStep)];
            position += perStep;
            shards.AddRange(batch.Chunk(run.ShardSize).Select(chunk => (IReadOnlyList<string>)chunk));
        }
        return new ShardPlan
        {
            RunId = run.RunId,
            SampleSetId = OnlineSampleSetId(run.RunId, 0),
            Dataset = run.TrainingDataset,
            Shards = shards,
            ShardsPerStep = shardsPerStep,
        };
    }

    /// <summary>The sample set of an online run's shards sampled by policy version <paramref name="policyVersion"/> (0 = the base model).</summary>
    public static string OnlineSampleSetId(string runId, int policyVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}.policy-v{policyVersion:D5}");

    /// <summary>
    /// Names the rollouts of a set of sampling settings: the reference model, the dataset and the exact problems with
    /// their sharding, K, the decoding settings and the seed. Two runs that differ only in training settings (λ, ε,
    /// method, learning rate, ...) get the same id and so share one pre-sampling (samples/{sampleSetId}/...).
    /// </summary>
    public static string SampleSetId(StartPruningRun run, IReadOnlyList<string> problemIds)
    {
        var canonical = new StringBuilder()
            .Append("model=").Append(run.BaseModel).Append('\n')
            .Append("dataset=").Append(run.TrainingDataset).Append('\n')
            .Append("k=").Append(run.SamplesPerProblem.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("maxNewTokens=").Append(run.MaxNewTokens.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("temperature=").Append(run.Temperature.ToString("R", CultureInfo.InvariantCulture)).Append('\n')
            .Append("topP=").Append(run.TopP.ToString("R", CultureInfo.InvariantCulture)).Append('\n')
            .Append("seed=").Append(run.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("shardSize=").Append(run.ShardSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("problems=").AppendJoin(',', problemIds);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return $"{run.TrainingDataset}-k{run.SamplesPerProblem}-{Convert.ToHexStringLower(hash)[..16]}";
    }

    /// <summary>A seeded random subset of <paramref name="count"/> ids (0 or more than available = all), kept in the dataset's order.</summary>
    private static IReadOnlyList<string> Choose(IReadOnlyList<string> ids, int count, int seed)
    {
        if (count <= 0 || count >= ids.Count)
        {
            return ids;
        }
        var random = new Random(seed);
        var indices = Enumerable.Range(0, ids.Count).ToArray();
        random.Shuffle(indices);
        return indices.Take(count).Order().Select(i => ids[i]).ToList();
    }
}
