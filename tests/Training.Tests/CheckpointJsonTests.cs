using System.Text.Json;
using PrunerPipeline.Training.Checkpoints;

namespace PrunerPipeline.Training.Tests;

/// <summary>trainer_state.json and metrics.jsonl are read on resume: every field, in order, survives a round trip, and a state missing one is refused.</summary>
public sealed class CheckpointJsonTests
{
    private const string State = """
        {
          "step": 40,
          "totalSteps": 120,
          "stepsPerEpoch": 20,
          "epoch": 2,
          "epochProgress": 2,
          "method": "o1pruner",
          "seed": 7,
          "examples": 80,
          "dataFingerprint": "abc123",
          "optimizerFile": "optimizer.safetensors",
          "optimizerStepCount": 40,
          "dataOrder": "shuffle per epoch",
          "rng": "torch.manual_seed(seed \u002B step) before each step"
        }
        """;

    [Fact]
    public void The_trainer_state_is_written_again_as_it_was_read()
    {
        var state = JsonSerializer.Deserialize<TrainerState>(State, TrainingCheckpoint.JsonOptions)!;

        Assert.Equal(State.ReplaceLineEndings("\n"), JsonSerializer.Serialize(state, TrainingCheckpoint.JsonOptions).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_trainer_state_missing_a_field_is_refused()
    {
        var missing = State.Replace("\"seed\": 7,", "");

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrainerState>(missing, TrainingCheckpoint.JsonOptions));
    }

    [Theory]
    [InlineData("""{"step":3,"epoch":0.75,"loss":0.5,"meanReward":0.25,"meanLength":40.5,"learningRate":1E-05,"clipFraction":0.125,"klToReference":0.01,"gradNorm":1.5,"microBatches":2,"tokens":900,"seconds":0.25}""")]
    [InlineData("""{"step":1,"epoch":0.25,"loss":0.5,"meanReward":0,"meanLength":40,"learningRate":2E-05,"preferenceAccuracy":0.5,"gradNorm":1,"microBatches":1,"tokens":100,"seconds":1}""")]
    public void A_metrics_line_is_written_again_as_it_was_read(string line)
    {
        using var folder = new TemporaryFolder("metrics");
        var path = Path.Combine(folder.Path, TrainingCheckpoint.MetricsFileName);
        File.WriteAllText(path, line + "\n");

        Assert.Equal(line, Assert.Single(StepMetrics.ReadJsonLines(path)).ToJsonLine());
    }
}
