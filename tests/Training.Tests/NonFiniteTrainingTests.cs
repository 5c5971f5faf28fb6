using PrunerPipeline.Training.Checkpoints;

namespace PrunerPipeline.Training.Tests;

public class When_the_loss_becomes_nan
{
    private static readonly TrainerOptions Options = TinyTraining.Options;

    private static O1PrunerRecipe Recipe() => TinyTraining.Recipe();

    [Fact]
    public void Training_stops_at_that_step_and_the_last_good_checkpoint_stays_finite()
    {
        using var folder = new TemporaryFolder();
        var policy = new TinyPolicy();
        var steps = new List<int>();

        // Right after the checkpoint at step 2, a weight turns NaN: step 3's loss is NaN.
        var error = Assert.Throws<NonFiniteTrainingException>(() => new PolicyTrainer(Options).Train(policy, Recipe(), folder.Path, null,
            new TrainingCallbacks
            {
                StepCompleted = m => steps.Add(m.Step),
                CheckpointSaved = (checkpoint, _) =>
                {
                    if (checkpoint.State.Step == 2)
                    {
                        using (no_grad())
                        {
                            policy.parameters().First().fill_(float.NaN);
                        }
                    }
                },
            }, CancellationToken.None));

        Assert.Equal(3, error.Step);
        Assert.Equal(2, error.LastGoodCheckpointStep);
        Assert.Contains("training step 3", error.Message);
        Assert.Contains("step 2, is kept", error.Message);
        Assert.IsAssignableFrom<NotFiniteNumberException>(error);   // the bus does not retry it
        Assert.Equal([1, 2], steps);
        var latest = TrainingCheckpoint.FindLatest(folder.Path);
        Assert.NotNull(latest);
        Assert.Equal(2, latest.State.Step);
        Assert.All(TinyPolicy.Load(latest.Directory).Snapshot().Values, weights => Assert.All(weights, w => Assert.True(float.IsFinite(w))));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "step-000004")));
    }
}

public class When_the_newest_checkpoint_is_corrupt
{
    private static readonly TrainerOptions Options = TinyTraining.Options with { Epochs = 1 };

    private static O1PrunerRecipe Recipe() => TinyTraining.Recipe();

    [Theory]
    [InlineData("truncated weights")]
    [InlineData("garbled state")]
    [InlineData("missing optimizer")]
    public void Resume_falls_back_to_the_previous_checkpoint(string damage)
    {
        using var folder = new TemporaryFolder();
        new PolicyTrainer(Options).Train(new TinyPolicy(), Recipe(), folder.Path, null, null, CancellationToken.None);
        var newest = TrainingCheckpoint.FindLatest(folder.Path)!;
        Assert.True(newest.State.Step > 2);
        switch (damage)
        {
            case "truncated weights":
                var weights = Path.Combine(newest.Directory, "model.safetensors");
                File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..^16]);
                break;
            case "garbled state":
                File.WriteAllText(Path.Combine(newest.Directory, TrainerState.FileName), "{ not json");
                break;
            default:
                File.Delete(Path.Combine(newest.Directory, TrainingCheckpoint.OptimizerFileName));
                break;
        }

        var skipped = new List<string>();
        var fallback = TrainingCheckpoint.FindLatest(folder.Path, (dir, problem) => skipped.Add($"{Path.GetFileName(dir)}: {problem}"));

        Assert.NotNull(fallback);
        Assert.True(fallback.State.Step < newest.State.Step);
        Assert.StartsWith($"{Path.GetFileName(newest.Directory)}: ", Assert.Single(skipped));
        // And training resumes from it to the end.
        var resumed = new PolicyTrainer(Options).Train(TinyPolicy.Load(fallback.Directory), Recipe(), folder.Path, fallback, null, CancellationToken.None);
        Assert.Equal(newest.State.Step - fallback.State.Step, resumed.StepsRun);
    }
}
