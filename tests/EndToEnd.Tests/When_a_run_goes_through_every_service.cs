using PrunerPipeline.Cli.Embedded;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Orchestrator.Sharding;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>
/// The real embedded pipeline, every service and a real (tiny) built-in model: a run is sampled, scored, trained and
/// evaluated to completion, and a bad run next to it is rejected with reasons without disturbing anything.
/// </summary>
public sealed class When_a_run_goes_through_every_service : IAsyncLifetime
{
    private readonly TemporaryFolder folder = new("e2e-real");
    private IHost host = null!;

    private string Store => Path.Combine(folder.Path, "store");

    public async Task InitializeAsync()
    {
        await BuiltinModel.EnsureAsync(Path.Combine(Store, "models", "builtin"), BuiltinModelOptions.Tiny);
        host = EmbeddedPipeline.Build(Store, new Dictionary<string, string?>
        {
            ["Models:CacheRoot"] = Path.Combine(folder.Path, "models"),
        });
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData("o1pruner")]
    [InlineData("fastprompt")]
    public async Task A_small_run_completes_with_its_samples_rewards_checkpoint_and_report(string methodKey)
    {
        var method = new PruningMethod(methodKey);
        var bus = host.Services.GetRequiredService<IBus>();
        var runId = $"e2e-{method.ToString().ToLowerInvariant()}";
        var events = new List<string>();
        await using var follower = await RunFollower.ConnectAsync(bus, runId, e => { lock (events) events.Add(e.GetType().Name); }, CancellationToken.None);

        await bus.Publish(SmallRun(runId, method));
        var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(outcome.Succeeded, $"run ended {outcome.State}: {RunEventText.Describe(outcome.FinalEvent)}");
        var store = host.Services.GetRequiredService<IArtifactStore>();
        var view = await RunStoreView.ReadAsync(store, runId, CancellationToken.None);
        Assert.NotEmpty(view.Reports);
        var trains = method != PruningMethod.FastPrompt;
        // The Fast-solving baseline is the reference model with a brief instruction: nothing to sample or train.
        Assert.Equal(trains ? 2 : 0, view.RewardShards);
        Assert.Equal(trains, view.Checkpoints >= 1);
        await AssertSeenAsync(events, nameof(EvaluationCompleted));
        lock (events)
        {
            Assert.Equal(trains, events.Contains(nameof(RolloutsGenerated)));
            Assert.Equal(trains, events.Contains(nameof(RewardsScored)));
            // The saga commands every evaluation; for Fast-solving it is of the base model, and no checkpoint is faked.
            Assert.Contains(nameof(EvaluateCheckpoint), events);
            Assert.Equal(trains, events.Contains(nameof(CheckpointPublished)));
        }
    }

    /// <summary>
    /// The follower's events arrive in no guaranteed order across message types: the RunCompleted that ends a run's wait
    /// can be delivered before an event the saga consumed ahead of it (CI saw EvaluationCompleted arrive late once).
    /// </summary>
    private static async Task AssertSeenAsync(List<string> events, string name)
    {
        for (var wait = 0; wait < 100; wait++)
        {
            lock (events)
            {
                if (events.Contains(name))
                    return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"the follower never saw {name}");
    }

    [Fact]
    public async Task A_bad_run_is_rejected_naming_its_fields_and_a_good_one_still_completes()
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await using var bad = await RunFollower.ConnectAsync(bus, "e2e-bad", _ => { }, CancellationToken.None);
        await using var good = await RunFollower.ConnectAsync(bus, "e2e-good", _ => { }, CancellationToken.None);

        await bus.Publish(SmallRun("e2e-bad", PruningMethod.O1Pruner) with { SamplesPerProblem = 0, Lambda = -1 });
        await bus.Publish(SmallRun("e2e-good", PruningMethod.O1Pruner));

        var rejected = await bad.Outcome.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("Rejected", rejected.State);
        var reasons = string.Join(" ", ((RunRejected)rejected.FinalEvent).Reasons);
        Assert.Contains("samplesPerProblem", reasons, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("lambda", reasons, StringComparison.OrdinalIgnoreCase);
        var completed = await good.Outcome.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(completed.Succeeded, $"run ended {completed.State}: {RunEventText.Describe(completed.FinalEvent)}");
    }

    [Fact]
    public async Task A_lora_run_checkpoints_a_peft_adapter_that_is_evaluated_and_can_be_a_later_runs_base_model()
    {
        var bus = host.Services.GetRequiredService<IBus>();
        var events = new List<string>();
        await using var follower = await RunFollower.ConnectAsync(bus, "e2e-lora", e => { lock (events) events.Add(e.GetType().Name); }, CancellationToken.None);

        await bus.Publish(SmallRun("e2e-lora", PruningMethod.O1Pruner) with
        {
            Adapter = new AdapterSettings { Rank = 4, Alpha = 8, Targets = ["q_proj", "v_proj", "down_proj"] },
            GradientCheckpointing = true,
        });
        var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(outcome.Succeeded, $"run ended {outcome.State}: {RunEventText.Describe(outcome.FinalEvent)}");
        var store = host.Services.GetRequiredService<IArtifactStore>();
        var files = new List<string>();
        await foreach (var name in store.ListAsync("runs/e2e-lora/checkpoints/", CancellationToken.None))
        {
            files.Add(name);
        }
        var checkpoint = files.Where(f => f.EndsWith("/adapter_config.json", StringComparison.Ordinal)).Max()!;
        var prefix = checkpoint[..checkpoint.LastIndexOf('/')];
        Assert.Contains($"{prefix}/adapter_model.safetensors", files);
        Assert.Contains($"{prefix}/tokenizer.json", files);
        Assert.DoesNotContain(files, f => f.EndsWith("model.safetensors", StringComparison.Ordinal) && !f.EndsWith("adapter_model.safetensors", StringComparison.Ordinal));
        var config = System.Text.Json.Nodes.JsonNode.Parse((await store.ReadTextAsync(checkpoint, CancellationToken.None))!)!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal("builtin", config["base_model_name_or_path"]!.GetValue<string>());
        Assert.Equal(["q_proj", "v_proj", "down_proj"], config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()));
        await AssertSeenAsync(events, nameof(EvaluationCompleted));
        Assert.NotEmpty((await RunStoreView.ReadAsync(store, "e2e-lora", CancellationToken.None)).Reports);

        // The adapter checkpoint as the base model of a later run: it loads as builtin with the adapter merged.
        await using var later = await RunFollower.ConnectAsync(bus, "e2e-on-lora", _ => { }, CancellationToken.None);
        await bus.Publish(SmallRun("e2e-on-lora", PruningMethod.FastPrompt) with { BaseModel = prefix });
        var laterOutcome = await later.Outcome.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(laterOutcome.Succeeded, $"run ended {laterOutcome.State}: {RunEventText.Describe(laterOutcome.FinalEvent)}");
    }

    [Fact]
    public async Task A_grpo_run_with_a_kl_penalty_records_the_base_models_log_probs_and_trains_against_them()
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await using var follower = await RunFollower.ConnectAsync(bus, "e2e-grpo-kl", _ => { }, CancellationToken.None);

        await bus.Publish(SmallRun("e2e-grpo-kl", GrpoMethod.MethodKey) with
        {
            // Strictly on-policy, so update 2 is sampled from version 1.
            SamplesPerProblem = 4, OnlineSteps = 2, ProblemsPerStep = 4, MaxStaleness = 0, LengthReward = "kimi", KlCoefficient = 0.04,
        });
        var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(outcome.Succeeded, $"run ended {outcome.State}: {RunEventText.Describe(outcome.FinalEvent)}");
        var store = host.Services.GetRequiredService<IArtifactStore>();
        // Update 1 samples from the base model itself: its sampling log-probs are the KL reference's.
        var fromBase = await RolloutsAsync(store, ShardPlanner.OnlineSampleSetId("e2e-grpo-kl", 0));
        Assert.All(fromBase, s => Assert.Equal(s.RefLogProbs, s.KlRefLogProbs));
        // Update 2 samples from version 1: the base model's log-probs are teacher-forced, one per token, and differ.
        var fromVersion1 = await RolloutsAsync(store, ShardPlanner.OnlineSampleSetId("e2e-grpo-kl", 1));
        Assert.All(fromVersion1, s => Assert.Equal(s.TokenIds.Length, s.KlRefLogProbs!.Length));
        Assert.Contains(fromVersion1, s => !s.KlRefLogProbs!.SequenceEqual(s.RefLogProbs));
        // The trainer's KL of update 2 is to the base model, and the policy has moved from it.
        var metrics = await store.ReadTextAsync(ArtifactLayout.TrainingMetrics(ArtifactLayout.Checkpoint("e2e-grpo-kl", 2)), CancellationToken.None);
        var kl = metrics!.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)!["klToReference"]!.GetValue<double>()).Last();
        Assert.True(kl > 0, $"KL to the base model after one update: {kl}");
    }

    [Fact]
    public async Task A_grpo_l1max_run_with_the_target_in_the_prompt_samples_each_problem_at_its_own_target()
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await using var follower = await RunFollower.ConnectAsync(bus, "e2e-grpo-l1", _ => { }, CancellationToken.None);

        await bus.Publish(SmallRun("e2e-grpo-l1", GrpoMethod.MethodKey) with
        {
            OnlineSteps = 2, ProblemsPerStep = 4, LengthReward = "l1max", LengthTarget = 24, LengthTargetInPrompt = true,
        });
        var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(outcome.Succeeded, $"run ended {outcome.State}: {RunEventText.Describe(outcome.FinalEvent)}");
        var store = host.Services.GetRequiredService<IArtifactStore>();
        var samples = await RolloutsAsync(store, ShardPlanner.OnlineSampleSetId("e2e-grpo-l1", 0));
        Assert.All(samples, s =>
        {
            Assert.InRange(s.LengthTarget!.Value, 12, 48);
            Assert.Contains($"Think for maximum {s.LengthTarget} tokens.", s.Prompt);
        });
        Assert.True(samples.Select(s => s.LengthTarget).Distinct().Count() > 1, "every problem drew the same target");
    }

    private static async Task<List<RolloutSample>> RolloutsAsync(IArtifactStore store, string sampleSetId)
    {
        // One shard per update (shard indices count on across updates).
        var samples = new List<RolloutSample>();
        await foreach (var name in store.ListAsync($"samples/{sampleSetId}/rollouts/", CancellationToken.None))
        {
            await using var stream = await store.OpenReadAsync(name, CancellationToken.None);
            samples.AddRange(await SampleJsonLines.ReadAsync<RolloutSample>(stream!, name, CancellationToken.None));
        }
        Assert.NotEmpty(samples);
        return samples;
    }

    [Fact]
    public async Task An_sft_run_without_any_correct_sample_faults_in_training_saying_why()
    {
        // The tiny test model never answers correctly, so SFT has nothing to imitate: a clear fault, not a hang.
        var bus = host.Services.GetRequiredService<IBus>();
        await using var follower = await RunFollower.ConnectAsync(bus, "e2e-sft", _ => { }, CancellationToken.None);

        await bus.Publish(SmallRun("e2e-sft", PruningMethod.Sft));

        var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Equal("Faulted", outcome.State);
        var fault = (RunFaulted)outcome.FinalEvent;
        Assert.Equal("training", fault.Stage);
        Assert.Contains("no problem with enough correct samples", fault.Reason);
    }

    private static StartPruningRun SmallRun(string runId, PruningMethod method) => new()
    {
        RunId = runId,
        Method = method,
        BaseModel = "builtin",
        TrainingDataset = "synthetic",
        EvaluationDatasets = ["synthetic"],
        TrainingProblems = 8,
        EvaluationProblems = 8,
        SamplesPerProblem = 2,
        MaxNewTokens = 48,
        BatchSize = 4,
        ShardSize = 4,
        Epochs = 1,
        Seed = 7,
    };
}
