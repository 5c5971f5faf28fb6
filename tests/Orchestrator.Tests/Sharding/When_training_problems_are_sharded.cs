using PrunerPipeline.Orchestrator.Sharding;

namespace PrunerPipeline.Orchestrator.Tests.Sharding;

public sealed class When_training_problems_are_sharded
{
    private static readonly IReadOnlyList<string> Ids = Enumerable.Range(0, 100).Select(i => $"p{i:D3}").ToList();

    [Fact]
    public void A_seeded_subset_is_cut_into_shards_of_the_shard_size()
    {
        var plan = ShardPlanner.Plan(new StartPruningRun { RunId = "r", TrainingProblems = 25, ShardSize = 10, Seed = 7 }, Ids);

        Assert.Equal([10, 10, 5], plan.Shards.Select(s => s.Count));
        var chosen = plan.Shards.SelectMany(s => s).ToList();
        Assert.Equal(25, chosen.Distinct().Count());
        Assert.Equal(chosen.Order(StringComparer.Ordinal), chosen);
        Assert.NotEqual(Ids.Take(25), chosen);
    }

    [Fact]
    public void The_same_seed_picks_the_same_problems_and_another_seed_does_not()
    {
        var a = ShardPlanner.Plan(new StartPruningRun { RunId = "a", TrainingProblems = 25, Seed = 7 }, Ids);
        var b = ShardPlanner.Plan(new StartPruningRun { RunId = "b", TrainingProblems = 25, Seed = 7 }, Ids);
        var c = ShardPlanner.Plan(new StartPruningRun { RunId = "c", TrainingProblems = 25, Seed = 8 }, Ids);

        Assert.Equal(a.Shards.SelectMany(s => s), b.Shards.SelectMany(s => s));
        Assert.NotEqual(a.Shards.SelectMany(s => s), c.Shards.SelectMany(s => s));
    }

    [Fact]
    public void Zero_or_more_than_available_takes_the_whole_split()
    {
        Assert.Equal(100, ShardPlanner.Plan(new StartPruningRun { RunId = "r", TrainingProblems = 0 }, Ids).Problems);
        Assert.Equal(100, ShardPlanner.Plan(new StartPruningRun { RunId = "r", TrainingProblems = 500 }, Ids).Problems);
    }

    [Fact]
    public void Runs_that_differ_only_in_training_settings_share_a_sample_set()
    {
        var o1 = new StartPruningRun { RunId = "o1", Lambda = 2, Method = PruningMethod.O1Pruner };
        var dpo = o1 with { RunId = "dpo", Lambda = 5, Method = PruningMethod.Dpo, LearningRate = 1e-5, Epochs = 3 };

        Assert.Equal(ShardPlanner.Plan(o1, Ids).SampleSetId, ShardPlanner.Plan(dpo, Ids).SampleSetId);
    }

    [Theory]
    [InlineData("k")]
    [InlineData("temperature")]
    [InlineData("topP")]
    [InlineData("maxNewTokens")]
    [InlineData("seed")]
    [InlineData("model")]
    [InlineData("shardSize")]
    public void Any_sampling_setting_changes_the_sample_set(string setting)
    {
        var run = new StartPruningRun { RunId = "r" };
        var changed = setting switch
        {
            "k" => run with { SamplesPerProblem = 8 },
            "temperature" => run with { Temperature = 0.7 },
            "topP" => run with { TopP = 0.95 },
            "maxNewTokens" => run with { MaxNewTokens = 256 },
            "seed" => run with { Seed = 1 },
            "model" => run with { BaseModel = "runs/x/checkpoints/step-000001" },
            "shardSize" => run with { ShardSize = 8 },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };

        Assert.NotEqual(ShardPlanner.Plan(run, Ids).SampleSetId, ShardPlanner.Plan(changed, Ids).SampleSetId);
    }

    [Fact]
    public void The_sample_set_id_is_a_safe_blob_name_segment()
    {
        var id = ShardPlanner.Plan(new StartPruningRun { RunId = "r" }, Ids).SampleSetId;

        Assert.Matches("^synthetic-k16-[0-9a-f]{16}$", id);
    }
}
