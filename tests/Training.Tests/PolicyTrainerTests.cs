using PrunerPipeline.Training.Checkpoints;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Tests;

public class When_training_is_killed_after_a_checkpoint_and_restarted
{
    private static readonly TrainerOptions Options = TinyTraining.Options;

    private static O1PrunerRecipe Recipe() => TinyTraining.Recipe();

    [Fact]
    public void It_resumes_without_repeating_steps_and_ends_with_the_same_weights()
    {
        using var uninterruptedFolder = new TemporaryFolder();
        using var interruptedFolder = new TemporaryFolder();
        var trainer = new PolicyTrainer(Options);
        var stepsPerEpoch = trainer.StepsPerEpoch(40);

        var uninterrupted = new TinyPolicy();
        var full = trainer.Train(uninterrupted, Recipe(), uninterruptedFolder.Path, null, null, CancellationToken.None);
        Assert.Equal(2 * stepsPerEpoch, full.StepsRun);

        // First life: killed right after the checkpoint at step 4 (the kill lands between steps).
        using var kill = new CancellationTokenSource();
        var firstLife = new TinyPolicy();
        var stepsBeforeKill = 0;
        Assert.Throws<OperationCanceledException>(() => trainer.Train(firstLife, Recipe(), interruptedFolder.Path, null,
            new TrainingCallbacks
            {
                StepCompleted = _ => stepsBeforeKill++,
                CheckpointSaved = (checkpoint, _) =>
                {
                    if (checkpoint.State.Step == 4)
                    {
                        kill.Cancel();
                    }
                },
            }, kill.Token));
        Assert.Equal(4, stepsBeforeKill);
        var checkpointBytes = File.ReadAllBytes(Path.Combine(interruptedFolder.Path, "step-000004", "model.safetensors"));

        // Second life: a new process would load the policy from the latest checkpoint.
        var latest = TrainingCheckpoint.FindLatest(interruptedFolder.Path);
        Assert.NotNull(latest);
        Assert.Equal(4, latest.State.Step);
        var secondLife = TinyPolicy.Load(latest.Directory);
        var stepsAfterRestart = new List<int>();
        var resumed = trainer.Train(secondLife, Recipe(), interruptedFolder.Path, latest,
            new TrainingCallbacks { StepCompleted = m => stepsAfterRestart.Add(m.Step) }, CancellationToken.None);

        Assert.Equal(Enumerable.Range(5, 2 * stepsPerEpoch - 4), stepsAfterRestart);
        var expected = uninterrupted.Snapshot();
        var actual = secondLife.Snapshot();
        foreach (var (name, weights) in expected)
        {
            Assert.Equal(weights, actual[name]);   // bit-identical, not approximately equal
        }
        // The curves match too, and no checkpoint was written twice.
        Assert.Equal(full.Metrics.Select(m => m.Loss), resumed.Metrics.Select(m => m.Loss));
        Assert.Equal(checkpointBytes, File.ReadAllBytes(Path.Combine(interruptedFolder.Path, "step-000004", "model.safetensors")));
        Assert.Equal(
            Directory.GetDirectories(uninterruptedFolder.Path).Select(Path.GetFileName).Order(),
            Directory.GetDirectories(interruptedFolder.Path).Select(Path.GetFileName).Order());
        Assert.Equal(2 * stepsPerEpoch, File.ReadAllLines(Path.Combine(interruptedFolder.Path, "metrics.jsonl")).Length);
    }

    [Fact]
    public void A_finished_run_restarted_runs_no_step()
    {
        using var folder = new TemporaryFolder();
        var trainer = new PolicyTrainer(Options with { Epochs = 1 });
        trainer.Train(new TinyPolicy(), Recipe(), folder.Path, null, null, CancellationToken.None);
        var latest = TrainingCheckpoint.FindLatest(folder.Path)!;
        var again = trainer.Train(TinyPolicy.Load(latest.Directory), Recipe(), folder.Path, latest, null, CancellationToken.None);
        Assert.Equal(0, again.StepsRun);
        Assert.Equal(latest.Directory, again.Final.Directory);
    }

    [Fact]
    public void Resuming_on_different_data_is_refused()
    {
        using var folder = new TemporaryFolder();
        var trainer = new PolicyTrainer(Options with { Epochs = 1 });
        trainer.Train(new TinyPolicy(), Recipe(), folder.Path, null, null, CancellationToken.None);
        var latest = TrainingCheckpoint.FindLatest(folder.Path)!;
        var other = new SftRecipe(SftSelection.Select(SampleFactory.Set(problems: 10, perProblem: 4)));
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Train(TinyPolicy.Load(latest.Directory), other, folder.Path, latest, null, CancellationToken.None));
        Assert.Contains("another training setup", error.Message);
    }
}

public class When_a_step_is_accumulated_over_micro_batches
{
    [Theory]
    [InlineData(LossAggregation.SequenceMean)]
    [InlineData(LossAggregation.TokenMean)]
    public void The_update_equals_the_single_batch_update(LossAggregation aggregation)
    {
        var examples = RewardPreparation.Prepare(SampleFactory.Set(problems: 4, perProblem: 4), RewardPreparationOptions.Raw);
        var objective = new PpoClipObjective(new PpoClipOptions { Aggregation = aggregation });
        Dictionary<string, float[]> Run(int budget)
        {
            using var folder = new TemporaryFolder();
            var policy = new TinyPolicy();
            new PolicyTrainer(new TrainerOptions { BatchSize = 16, MaxTokensPerMicroBatch = budget, Seed = 3, WarmupRatio = 0 })
                .Train(policy, new O1PrunerRecipe(examples, objective), folder.Path, null, null, CancellationToken.None);
            return policy.Snapshot();
        }
        var whole = Run(budget: 100_000);
        var split = Run(budget: 30);
        foreach (var (name, w) in whole)
        {
            for (var i = 0; i < w.Length; i++)
            {
                Assert.Equal(w[i], split[name][i], 5);
            }
        }
    }
}

public class When_layers_are_frozen
{
    [Fact]
    public void Frozen_parameters_do_not_move_and_the_rest_do()
    {
        using var folder = new TemporaryFolder();
        var policy = new TinyPolicy();
        var before = policy.Snapshot();
        new PolicyTrainer(new TrainerOptions { BatchSize = 8, FreezeEmbeddings = true, FreezeFirstLayers = 1, LearningRate = 1e-2 })
            .Train(policy, new SftRecipe(SampleFactory.Set(problems: 4, perProblem: 4)), folder.Path, null, null, CancellationToken.None);
        var after = policy.Snapshot();
        Assert.Equal(before["model.embed_tokens.weight"], after["model.embed_tokens.weight"]);
        Assert.Equal(before["model.layers.0.weight"], after["model.layers.0.weight"]);
        Assert.NotEqual(before["lm_head.weight"], after["lm_head.weight"]);
    }
}

public class When_each_method_trains
{
    private static readonly TrainerOptions Options = new() { Epochs = 8, BatchSize = 8, LearningRate = 3e-2, Seed = 5 };

    [Fact]
    public void O1_pruner_raises_the_likelihood_of_high_advantage_samples_relative_to_low_ones()
    {
        var examples = RewardPreparation.Prepare(SampleFactory.Set(problems: 6, perProblem: 4), RewardPreparationOptions.Raw);
        var policy = new TinyPolicy();
        double Gap()
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var (lp, mask) = policy.CompletionLogProbs(examples.Select(e => e.Sample.PromptTokenIds).ToArray(), examples.Select(e => e.Sample.TokenIds).ToArray());
            var perSequence = ((lp * mask).sum(1) / mask.sum(1)).data<float>().ToArray();
            var median = examples.Select(e => e.Advantage).Order().ElementAt(examples.Count / 2);
            return examples.Select((e, i) => (e.Advantage, perSequence[i])).Where(p => p.Advantage >= median).Average(p => p.Item2)
                - examples.Select((e, i) => (e.Advantage, perSequence[i])).Where(p => p.Advantage < median).Average(p => p.Item2);
        }
        var before = Gap();
        using var folder = new TemporaryFolder();
        var result = new PolicyTrainer(Options).Train(policy, new O1PrunerRecipe(examples, new PpoClipObjective(new PpoClipOptions())), folder.Path, null, null, CancellationToken.None);
        Assert.True(Gap() > before + 0.1, $"gap {before} → {Gap()}");
        Assert.All(result.Metrics, m => Assert.NotNull(m.ClipFraction));
        Assert.Contains(result.Metrics, m => m.ClipFraction > 0);
    }

    [Fact]
    public void Sft_lowers_its_loss_and_dpo_learns_to_prefer_the_chosen()
    {
        var samples = SampleFactory.Set(problems: 8, perProblem: 6);
        using var sftFolder = new TemporaryFolder();
        var sft = new PolicyTrainer(Options).Train(new TinyPolicy(), new SftRecipe(SftSelection.Select(samples)), sftFolder.Path, null, null, CancellationToken.None);
        Assert.True(sft.Metrics[^1].Loss < sft.Metrics[0].Loss - 0.2, $"SFT loss {sft.Metrics[0].Loss} → {sft.Metrics[^1].Loss}");

        using var dpoFolder = new TemporaryFolder();
        var pairs = DpoPairSelection.Select(samples);
        var dpo = new PolicyTrainer(Options).Train(new TinyPolicy(), new DpoRecipe(pairs, new DpoObjective()), dpoFolder.Path, null, null, CancellationToken.None);
        Assert.True(dpo.Metrics[^1].Loss < Math.Log(2) - 0.05, $"DPO loss ends at {dpo.Metrics[^1].Loss}");
        Assert.Equal(1.0, dpo.Metrics[^1].PreferenceAccuracy);
    }
}
