using PrunerPipeline.Datasets;
using PrunerPipeline.RolloutService;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>
/// The rollout consumer on the bus with a scripted sampler in place of the reference model: what it asks the sampler
/// for, what it stores and announces, and how it treats redelivered and poison shards.
/// </summary>
public sealed class When_a_shard_is_sampled_by_a_scripted_sampler
{
    private const string RunId = "scripted-run";
    private const string SampleSetId = "scripted-set";

    [Fact]
    public async Task The_sampler_gets_the_run_settings_and_the_shard_is_stored_and_announced()
    {
        var sampler = new ScriptedRolloutSampler();
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false, batchSize: 5, sampler: sampler);
        await pipeline.AcceptRunAsync(RunId);
        var model = pipeline.CreateFolder("reference");
        var ids = SharedGold.Gsm8kTrainIds(3, 3);
        var command = Command(0, ids, model);

        await pipeline.Harness.Bus.Publish(command);
        var generated = (await pipeline.PublishedAsync<RolloutsGenerated>(1)).Single();

        var (folder, problems, settings) = Assert.Single(sampler.Calls);
        Assert.Equal(model, folder);
        Assert.Equal(new RolloutSamplingSettings(2, 7, 0.7, 0.9, Seed: 11, BatchSize: 5), settings);
        Assert.Equal(ids, problems.Select(p => p.ProblemId));
        var questions = DatasetCatalog.Find("gsm8k", ids);
        Assert.All(problems.Zip(questions), pair =>
        {
            Assert.Equal(RolloutPromptSet.Render(pair.Second.Question, "gsm8k"), pair.First.Prompt);
            Assert.Contains(pair.Second.Question, pair.First.Prompt);
        });

        var samples = await pipeline.ReadShardAsync<RolloutSample>(ArtifactLayout.Rollouts(SampleSetId, 0));
        Assert.Equal(ids.SelectMany(id => new[] { $"{id}#0", $"{id}#1" }), samples.Select(s => $"{s.ProblemId}#{s.SampleIndex}"));
        Assert.Equal(
            (RunId, SampleSetId, 0, ArtifactLayout.Rollouts(SampleSetId, 0), 3, 6, samples.Sum(s => (long)s.Length), 3.0),
            (generated.RunId, generated.SampleSetId, generated.ShardIndex, generated.RolloutsBlob, generated.Problems, generated.Samples, generated.Tokens, generated.Seconds));

        // Progress is throttled to one report per 2 s (ProgressThrottle): of the three instant scripted batches the
        // first and the final, complete one go out, the middle one does not.
        var progress = await pipeline.PublishedAsync<StageProgress>(2);
        Assert.All(progress, p => Assert.Equal((RunId, "sampling", 6L), (p.RunId, p.Stage, p.Total)));
        Assert.Equal([2L, 6L], progress.Select(p => p.Done).Order());
    }

    [Fact]
    public async Task A_redelivered_shard_is_re_announced_and_never_sampled_twice()
    {
        var sampler = new ScriptedRolloutSampler();
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false, sampler: sampler);
        await pipeline.AcceptRunAsync(RunId);
        var command = Command(2, SharedGold.Gsm8kTrainIds(0, 2), pipeline.CreateFolder("reference"));

        await pipeline.Harness.Bus.Publish(command);
        var first = (await pipeline.PublishedAsync<RolloutsGenerated>(1)).Single();
        await pipeline.Harness.Bus.Publish(command);
        var second = (await pipeline.PublishedAsync<RolloutsGenerated>(2))[1];

        Assert.Single(sampler.Calls);
        Assert.Equal((first.ShardIndex, first.RolloutsBlob, first.Problems, first.Samples, first.Tokens), (second.ShardIndex, second.RolloutsBlob, second.Problems, second.Samples, second.Tokens));
        var samples = await pipeline.ReadShardAsync<RolloutSample>(first.RolloutsBlob);
        Assert.Equal(4, samples.Select(s => (s.ProblemId, s.SampleIndex)).Distinct().Count());
        Assert.Equal([ArtifactLayout.Rollouts(SampleSetId, 2)], await pipeline.ListAsync($"samples/{SampleSetId}/"));
    }

    [Fact]
    public async Task Poison_shards_fault_naming_the_reason_and_a_healthy_shard_is_still_sampled()
    {
        var sampler = new ScriptedRolloutSampler();
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false, sampler: sampler);
        await pipeline.AcceptRunAsync(RunId);
        var model = pipeline.CreateFolder("reference");
        var unknownProblem = Command(0, ["gsm8k-train-0000", "no-such-problem-23"], model);
        var unknownDataset = Command(1, SharedGold.Gsm8kTrainIds(0, 1), model) with { Dataset = "no-such-dataset" };
        var noProblems = Command(2, [], model);
        var healthy = Command(3, SharedGold.Gsm8kTrainIds(1, 1), model);

        foreach (var command in new[] { unknownProblem, unknownDataset, noProblems, healthy })
        {
            await pipeline.Harness.Bus.Publish(command);
        }

        var faults = (await pipeline.PublishedAsync<Fault<GenerateRollouts>>(3)).ToDictionary(f => f.Message.ShardIndex);
        Assert.Contains("no-such-problem-23", faults[0].Exceptions[0].Message);
        Assert.Contains("no-such-dataset", faults[1].Exceptions[0].Message);
        Assert.Contains("no problem ids", faults[2].Exceptions[0].Message);
        Assert.All(faults.Values, f => Assert.Equal(RunId, f.Message.RunId));

        var generated = (await pipeline.PublishedAsync<RolloutsGenerated>(1)).Single();
        Assert.Equal(3, generated.ShardIndex);
        // Bad input is rejected before the model is touched.
        Assert.Equal([healthy.ProblemIds], sampler.Calls.Select(c => c.Problems.Select(p => p.ProblemId).ToList()));
        Assert.Equal([ArtifactLayout.Rollouts(SampleSetId, 3)], await pipeline.ListAsync($"samples/{SampleSetId}/"));
    }

    [Fact]
    public async Task A_sampler_failure_faults_the_shard_and_leaves_no_blob()
    {
        var sampler = new ScriptedRolloutSampler();
        var ids = SharedGold.Gsm8kTrainIds(0, 2);
        sampler.FailingProblems.Add(ids[1]);
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false, sampler: sampler);
        await pipeline.AcceptRunAsync(RunId);

        await pipeline.Harness.Bus.Publish(Command(0, ids, pipeline.CreateFolder("reference")));

        var fault = (await pipeline.PublishedAsync<Fault<GenerateRollouts>>(1)).Single();
        Assert.Contains(ids[1], fault.Exceptions[0].Message);
        // A sampler failure may be transient: the host's retry policy tries the shard again before giving up.
        Assert.True(sampler.Calls.Count > 1);
        Assert.Empty(await pipeline.ListAsync($"samples/{SampleSetId}/"));
    }

    [Theory]
    [InlineData("never-accepted")]
    [InlineData("nl\n")]
    [InlineData("../../etc")]
    public async Task A_command_for_a_run_the_orchestrator_never_accepted_is_dropped_with_the_reason(string runId)
    {
        var sampler = new ScriptedRolloutSampler();
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false, sampler: sampler);

        await pipeline.Harness.Bus.Publish(Command(0, SharedGold.Gsm8kTrainIds(0, 1), pipeline.CreateFolder("reference")) with { RunId = runId });

        var fault = (await pipeline.PublishedAsync<Fault<GenerateRollouts>>(1)).Single();
        Assert.Contains("GenerateRollouts dropped", fault.Exceptions[0].Message);
        Assert.Equal(typeof(PrunerPipeline.Hosting.Messaging.UnknownRunException).FullName, fault.Exceptions[0].ExceptionType);
        Assert.Empty(sampler.Calls);   // not sampled, and not retried
        Assert.Empty(await pipeline.ListAsync($"samples/{SampleSetId}/"));
    }

    [Fact]
    public async Task With_length_targets_each_problem_is_asked_for_its_own_drawn_target_and_its_samples_record_it()
    {
        var sampler = new ScriptedRolloutSampler();
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false, sampler: sampler);
        await pipeline.AcceptRunAsync(RunId);
        var ids = SharedGold.Gsm8kTrainIds(0, 6);
        var range = new LengthTargetRange(16, 64);

        await pipeline.Harness.Bus.Publish(Command(0, ids, pipeline.CreateFolder("reference")) with { PromptLengthTargets = range });
        await pipeline.PublishedAsync<RolloutsGenerated>(1);

        var (_, problems, _) = Assert.Single(sampler.Calls);
        var questions = DatasetCatalog.Find("gsm8k", ids);
        Assert.All(problems.Zip(questions), pair =>
        {
            Assert.Equal(range.Draw(11, pair.First.ProblemId), pair.First.LengthTarget);
            Assert.Equal(RolloutPromptSet.Render(pair.Second.Question, "gsm8k", pair.First.LengthTarget), pair.First.Prompt);
            Assert.Contains($"Think for maximum {pair.First.LengthTarget} tokens.", pair.First.Prompt);
        });
        Assert.True(problems.Select(p => p.LengthTarget).Distinct().Count() > 1, "six problems drew one target");
        var samples = await pipeline.ReadShardAsync<RolloutSample>(ArtifactLayout.Rollouts(SampleSetId, 0));
        Assert.All(samples, s => Assert.Equal(problems.Single(p => p.ProblemId == s.ProblemId).LengthTarget, s.LengthTarget));
    }

    [Fact]
    public void A_length_target_is_drawn_within_its_range_per_problem_and_seed_and_stays_the_same_when_drawn_again()
    {
        var range = new LengthTargetRange(16, 64);
        var draws = Enumerable.Range(0, 500).Select(i => range.Draw(7, $"p{i}")).ToList();

        Assert.All(draws, n => Assert.InRange(n, 16, 64));
        Assert.Equal(49, draws.Distinct().Count());                      // every value of the range is drawn
        Assert.Equal(draws, Enumerable.Range(0, 500).Select(i => range.Draw(7, $"p{i}")));
        Assert.NotEqual(draws, Enumerable.Range(0, 500).Select(i => range.Draw(8, $"p{i}")));
        var l1 = new StartPruningRun { RunId = "r", LengthReward = "l1max", LengthTarget = 32, TrainingDataset = "gsm8k" };
        Assert.Equal(new LengthTargetRange(16, 64), LengthTargetRange.For(l1));
        Assert.Equal(new LengthTargetRange(50, 120), LengthTargetRange.For(l1 with { LengthTarget = 100, MaxNewTokens = 120 }));
        Assert.Null(LengthTargetRange.For(l1 with { LengthTargetInPrompt = false }));
        // The built-in task's model cannot read the instruction: off unless asked for.
        Assert.Null(LengthTargetRange.For(l1 with { TrainingDataset = "synthetic" }));
        Assert.Equal(new LengthTargetRange(16, 64), LengthTargetRange.For(l1 with { TrainingDataset = "synthetic", LengthTargetInPrompt = true }));
        Assert.Null(LengthTargetRange.For(l1 with { LengthReward = "thinkprune" }));
    }

    [Fact]
    public void Every_sample_of_a_run_has_its_own_seed()
    {
        var ids = Enumerable.Range(0, 200).Select(i => $"gsm8k-train-{i:D4}").ToList();
        var seeds = ids.SelectMany(id => Enumerable.Range(0, 16).Select(k => RolloutSampler.SequenceSeed(1234, id, k))).ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        // A problem's seeds do not depend on which shard or batch it lands in: only on (run seed, problem id, sample index).
        Assert.Equal(seeds[16 * 37 + 5], RolloutSampler.SequenceSeed(1234, "gsm8k-train-0037", 5));
    }

    private static GenerateRollouts Command(int shard, IReadOnlyList<string> problemIds, string model) =>
        RolloutCommands.Shard(RunId, SampleSetId, shard, shardCount: 4, problemIds, model) with { Temperature = 0.7, TopP = 0.9, Seed = 11 };
}
