using PrunerPipeline.Cli.Demo;
using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.EndToEnd.Tests;

public sealed class When_tuning_picks_a_setting
{
    private static readonly ModelResult Reference = new(
        Label: "reference", Accuracy: 0.70, MeanLength: 65, P50Length: 60, P90Length: 120, Problems: 100, Truncated: 0, WallSeconds: 1, TokensPerSecond: 1);

    private static readonly TuningGrid Grid = new([PruningMethod.Dpo, PruningMethod.Sft], [1e-6, 1e-5, 1e-4], [0.1, 0.5]);

    [Fact]
    public void Each_method_gets_its_best_AES_and_a_tie_goes_to_the_higher_accuracy()
    {
        TuningTrial[] trials =
        [
            new("dpo", 1e-6, 0.1, 0.70, 64, 0.02),
            new("dpo", 1e-5, 0.1, 0.72, 50, 0.31),
            new("dpo", 1e-4, 0.1, 0.03, 47, -4.5),
            new("dpo", 1e-5, 0.5, 0.74, 52, 0.31),
            new("sft", 1e-4, null, 0.85, 36, 1.08),
            new("sft", 1e-5, null, 0.75, 55, 0.36),
            new("sft", 1e-6, null, 0.70, 65, double.NaN),
        ];

        var result = TuningResult.Pick(Grid, "synthetic-validation, first 100 problems", Reference, trials);

        Assert.Equal(trials[3], result.Picks["dpo"]);
        Assert.Equal(trials[4], result.Picks["sft"]);
        Assert.Contains("lr grid 0.000001, 0.00001, 0.0001", result.Describe());
        Assert.Contains("DPO β grid 0.1, 0.5", result.Describe());
        Assert.Contains("dpo lr 0.00001 β 0.5", result.Describe());
        Assert.Contains("sft lr 0.0001", result.Describe());
    }

    [Fact]
    public async Task The_picks_read_back_from_tuning_json_and_a_bad_file_is_one_line_naming_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pruner-tuning-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = TuningResult.Pick(Grid, "synthetic-validation", Reference, [new("dpo", 1e-5, 0.1, 0.72, 50, 0.31)]);
            var path = Path.Combine(folder, TuningResult.FileName);
            await result.WriteAsync(path, CancellationToken.None);

            var read = TuningResult.Read(path);

            Assert.Equal(result.Picks["dpo"], read.Picks["dpo"]);
            Assert.Equal(result.LearningRates, read.LearningRates);
            File.WriteAllText(path, "{ not json");
            var error = Assert.Throws<InvalidDataException>(() => TuningResult.Read(path));
            Assert.StartsWith("--tuned: cannot read " + path, error.Message);
            Assert.DoesNotContain("\n", error.Message);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void A_method_trains_at_its_pick_unless_none_is_given()
    {
        var settings = new DemoSettings { OutputDirectory = ".", LearningRate = 2e-4, MethodLearningRates = new Dictionary<string, double> { ["dpo"] = 1e-5 } };

        Assert.Equal(1e-5, settings.RunFor("r1", PruningMethod.Dpo, 2).LearningRate);
        Assert.Equal(2e-4, settings.RunFor("r2", PruningMethod.Sft, 2).LearningRate);
        Assert.Equal(["synthetic-validation"], (settings with { EvaluationDataset = "synthetic-validation" }).RunFor("r3", PruningMethod.Sft, 2).EvaluationDatasets);
    }
}
