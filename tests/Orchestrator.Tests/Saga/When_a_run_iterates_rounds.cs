namespace PrunerPipeline.Orchestrator.Tests.Saga;

public sealed class When_a_run_iterates_rounds
{
    private static Task<OrchestratorHarness> StartAsync(Action<IBusRegistrationConfigurator>? trainer = null) =>
        OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            if (trainer is null)
            {
                x.AddConsumer<FakeTrainer>();
            }
            else
            {
                trainer(x);
            }
            x.AddConsumer<FakeEvaluator>();
        });

    [Fact]
    public async Task Each_round_samples_from_and_trains_on_the_previous_rounds_final_checkpoint_and_the_run_reports_every_round()
    {
        await using var h = await StartAsync();

        await h.Harness.Bus.Publish(new StartPruningRun
        {
            RunId = "iter", Rounds = 3, Baseline = RoundBaseline.Original, SamplesPerProblem = 2, TrainingProblems = 10, ShardSize = 4,
        });

        Assert.Equal("Completed", (await h.WaitForStateAsync("iter", "Completed")).State);

        // Rounds 2 and 3 are runs of their own, submitted by the first round's saga.
        var rounds = h.All<StartPruningRun>().Where(r => r.RunId != "iter").DistinctBy(r => r.RunId).ToList();
        Assert.Equal(["iter.round2", "iter.round3"], rounds.Select(r => r.RunId));
        Assert.Equal(["runs/iter/checkpoints/step-000002", "runs/iter.round2/checkpoints/step-000002"], rounds.Select(r => r.BaseModel));
        Assert.All(rounds, r => Assert.Equal((1, "builtin", "iter"), (r.Rounds, r.ReferenceModel, r.BaselineRun)));

        // Round 2 re-samples the same problems from round 1's checkpoint into a sample set of its own...
        var round1Shards = h.All<GenerateRollouts>(g => g.RunId == "iter");
        var round2Shards = h.All<GenerateRollouts>(g => g.RunId == "iter.round2");
        Assert.All(round2Shards, g => Assert.Equal("runs/iter/checkpoints/step-000002", g.BaseModel));
        Assert.Equal(round1Shards.OrderBy(g => g.ShardIndex).SelectMany(g => g.ProblemIds), round2Shards.OrderBy(g => g.ShardIndex).SelectMany(g => g.ProblemIds));
        Assert.NotEqual(round1Shards[0].SampleSetId, round2Shards[0].SampleSetId);
        // ...is scored against the original reference's baseline (baseline: original)...
        Assert.All(h.All<ScoreRollouts>(s => s.RunId == "iter"), s => Assert.Null(s.BaselineRewardsBlob));
        Assert.Equal(["runs/iter/rewards/shard-0000.jsonl", "runs/iter/rewards/shard-0001.jsonl", "runs/iter/rewards/shard-0002.jsonl"],
            h.All<ScoreRollouts>(s => s.RunId == "iter.round3").OrderBy(s => s.ShardIndex).Select(s => s.BaselineRewardsBlob));
        // ...and is evaluated against the original reference.
        Assert.All(h.All<EvaluateCheckpoint>(e => e.RunId == "iter.round3"), e => Assert.Equal("builtin", e.Run.ReferenceModel));

        // One RunCompleted for the run itself, after its last round, with every round in order.
        var completed = Assert.Single(h.All<RunCompleted>(c => c.RunId == "iter"));
        Assert.NotNull(completed.Rounds);
        Assert.Equal([(1, "iter"), (2, "iter.round2"), (3, "iter.round3")], completed.Rounds!.Select(r => (r.Round, r.RunId)));
        Assert.Equal("runs/iter.round3/eval/step-000002/report.json", completed.ReportBlob);
        Assert.Equal("runs/iter.round3/checkpoints/step-000002", completed.FinalCheckpoint);
        var stored = await h.Store.ReadJsonAsync<List<RoundResult>>(ArtifactLayout.Rounds("iter"), CancellationToken.None);
        Assert.Equal(["runs/iter/checkpoints/step-000002", "runs/iter.round2/checkpoints/step-000002", "runs/iter.round3/checkpoints/step-000002"],
            stored!.Select(r => r.Checkpoint));
    }

    [Fact]
    public async Task With_the_previous_baseline_each_round_scores_against_its_own_samples()
    {
        await using var h = await StartAsync();

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "prev", Rounds = 2, SamplesPerProblem = 2, TrainingProblems = 4, ShardSize = 4 });

        Assert.Equal("Completed", (await h.WaitForStateAsync("prev", "Completed")).State);
        var round2 = Assert.Single(h.All<StartPruningRun>(r => r.RunId == "prev.round2").DistinctBy(r => r.RunId));
        Assert.Null(round2.BaselineRun);
        Assert.All(h.All<ScoreRollouts>(), s => Assert.Null(s.BaselineRewardsBlob));
        Assert.All(h.All<ScoreRollouts>(), s => Assert.Equal(("rlh", null), (s.LengthReward, s.LengthTarget)));
        Assert.Equal(2, Assert.Single(h.All<RunCompleted>(c => c.RunId == "prev")).Rounds!.Count);
    }

    [Fact]
    public async Task A_round_that_faults_faults_the_run_naming_the_round_and_resuming_the_run_resumes_the_round()
    {
        RoundTwoFailsOnceTrainer.Reset();
        await using var h = await StartAsync(x => x.AddConsumer<RoundTwoFailsOnceTrainer>());

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "flaky", Rounds = 2, SamplesPerProblem = 2, TrainingProblems = 4, ShardSize = 4 });

        var faulted = await h.WaitForStateAsync("flaky", "Faulted");
        Assert.Equal("Faulted", faulted.State);
        Assert.Contains("round 2 (run flaky.round2) faulted in training", faulted.Reason);
        Assert.Contains(RoundTwoFailsOnceTrainer.Failure, faulted.Reason);
        Assert.Equal("round 2: training", Assert.Single(h.All<RunFaulted>(f => f.RunId == "flaky")).Stage);

        var resumed = await h.Harness.GetRequestClient<ResumeRun>().GetResponse<RunResumed, ResumeRefused>(new ResumeRun { RunId = "flaky" });
        Assert.True(resumed.Is(out Response<RunResumed>? ok));
        Assert.Equal("round 2", ok!.Message.Stage);

        Assert.Equal("Completed", (await h.WaitForStateAsync("flaky", "Completed")).State);
        Assert.Equal("Completed", (await h.StatusAsync("flaky.round2")).State);
        Assert.Equal(2, Assert.Single(h.All<RunCompleted>(c => c.RunId == "flaky")).Rounds!.Count);
    }

    [Fact]
    public async Task The_end_of_a_round_the_run_is_not_waiting_for_changes_nothing()
    {
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FakeTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });
        // Round 2 never starts: its submission is stopped by a run of that id with other settings.
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "held.round2", Method = PruningMethod.FastPrompt });
        Assert.Equal("Completed", (await h.WaitForStateAsync("held.round2", "Completed")).State);

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "held", Rounds = 3, SamplesPerProblem = 2, TrainingProblems = 4, ShardSize = 4 });
        Assert.Equal("NextRound", (await h.WaitForStateAsync("held", "NextRound")).State);

        // A completion of round 3 (not the one in progress) or a forged one is ignored.
        await h.Harness.Bus.Publish(new RunCompleted { RunId = "held.round3", ReportBlob = "x", Accuracy = 1, MeanLength = 1, Aes = 9, FinalCheckpoint = "runs/held.round3/checkpoints/step-000001" });
        await h.Harness.InactivityTask;
        Assert.Equal("NextRound", (await h.StatusAsync("held")).State);
        Assert.Empty(h.All<RunCompleted>(c => c.RunId == "held"));
    }

    [Theory]
    [InlineData(0, "rounds: 0; allowed: 1 (the paper) to 8")]
    [InlineData(9, "rounds: 9; allowed: 1 (the paper) to 8")]
    public async Task A_rounds_count_out_of_range_is_rejected_by_name(int rounds, string reason)
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "bad-rounds", Rounds = rounds });
        var rejected = await h.PublishedAsync<RunRejected>();
        Assert.Contains(reason, rejected.Reasons);
    }

    [Fact]
    public async Task Rounds_for_a_method_that_does_not_train_with_an_adapter_or_with_too_long_a_run_id_are_rejected()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "prompt-rounds", Rounds = 2, Method = PruningMethod.FastPrompt });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "adapter-rounds", Rounds = 2, Adapter = new AdapterSettings() });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = new string('a', 60), Rounds = 2 });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "no-baseline", BaselineRun = "never-ran" });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "bad-reward", LengthReward = "longest" });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "no-target", LengthReward = "l1max" });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "unused-target", LengthTarget = 100 });
        await h.Harness.InactivityTask;

        var reasons = h.All<RunRejected>().ToDictionary(r => r.RunId, r => string.Join("; ", r.Reasons));
        Assert.Contains("rounds: 2 for method fastprompt (Fast-solving prompt), which does not sample and train; allowed: 1", reasons["prompt-rounds"]);
        Assert.Contains("rounds: 2 with an adapter", reasons["adapter-rounds"]);
        Assert.Contains("runId: 60 characters with rounds 2; allowed: at most 57", reasons[new string('a', 60)]);
        Assert.Contains("baselineRun: 'never-ran' has no shard plan", reasons["no-baseline"]);
        Assert.Contains("lengthReward: 'longest' is unknown; allowed: none, kimi, shorterbetter, l1max, thinkprune, rlh", reasons["bad-reward"]);
        Assert.Contains("lengthTarget: missing for lengthReward l1max", reasons["no-target"]);
        Assert.Contains("lengthTarget: 100 is not used by lengthReward rlh", reasons["unused-target"]);
    }
}

/// <summary>A trainer whose first attempt at round 2 fails (every other training succeeds, as <see cref="FakeTrainer"/>).</summary>
public sealed class RoundTwoFailsOnceTrainer(IArtifactStore store) : IConsumer<TrainPolicy>
{
    public const string Failure = "out of memory in round 2";
    private static int failures;

    public static void Reset() => failures = 0;

    public Task Consume(ConsumeContext<TrainPolicy> context) =>
        context.Message.RunId.EndsWith(".round2", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 1
            ? throw new ArgumentException(Failure)
            : new FakeTrainer(store).Consume(context);
}
