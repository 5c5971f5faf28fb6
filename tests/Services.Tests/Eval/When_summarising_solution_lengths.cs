using PrunerPipeline.EvalService.Metrics;

namespace PrunerPipeline.Services.Tests.Eval;

public class When_summarising_solution_lengths
{
    [Fact]
    public void Mean_and_nearest_rank_percentiles_match_hand_computed_values()
    {
        var stats = LengthStatistics.Of([100, 30, 10, 90, 20, 80, 40, 70, 50, 60]);

        Assert.Equal(10, stats.Count);
        Assert.Equal(55, stats.Mean);
        Assert.Equal(50, stats.P50);
        Assert.Equal(90, stats.P90);
        Assert.Equal(10, stats.Min);
        Assert.Equal(100, stats.Max);
    }

    [Fact]
    public void Percentiles_of_a_small_set_are_actual_values()
    {
        var stats = LengthStatistics.Of([7, 3, 5]);

        Assert.Equal(5, stats.Mean);
        Assert.Equal(5, stats.P50);
        Assert.Equal(7, stats.P90);
    }

    [Fact]
    public void No_solutions_give_empty_statistics()
    {
        Assert.Equal(LengthStatistics.Empty, LengthStatistics.Of([]));
    }

    [Fact]
    public void The_breakdown_groups_accuracy_and_length_by_difficulty_level()
    {
        ProblemOutcome[] outcomes =
        [
            new("a", "synthetic", 1, true, 10, "1", "stop"),
            new("b", "synthetic", 1, false, 30, "2", "stop"),
            new("c", "synthetic", 2, true, 50, "3", "stop"),
            new("d", "synthetic", 2, true, 70, "4", "stop"),
            new("e", "synthetic", 2, false, 120, "", "length"),
            new("f", "synthetic", null, true, 40, "5", "stop"),
        ];

        var summary = EvaluationSummary.From("synthetic", outcomes, wallSeconds: 2.0);

        Assert.Equal(6, summary.Problems);
        Assert.Equal(4.0 / 6, summary.Accuracy, 12);
        Assert.Equal(320.0 / 6, summary.MeanLength, 12);
        Assert.Equal(160, summary.TokensPerSecond, 12);
        Assert.Equal(1, summary.Truncated);
        Assert.Equal(
            [new DifficultyBreakdown(1, 2, 0.5, 20), new DifficultyBreakdown(2, 3, 2.0 / 3, 80)],
            summary.ByLevel);
    }

    [Fact]
    public void Pooling_two_sets_weights_by_problem_count()
    {
        var small = EvaluationSummary.From("gsm8k", [new("a", "gsm8k", null, true, 100, "1", "stop")], 1);
        var large = EvaluationSummary.From("math500", [
            new("b", "math500", 3, false, 200, "", "stop"),
            new("c", "math500", 3, false, 300, "", "stop"),
            new("d", "math500", 5, true, 400, "", "stop"),
        ], 3);

        var pooled = EvaluationSummary.Pool("all", [small, large]);

        Assert.Equal(4, pooled.Problems);
        Assert.Equal(0.5, pooled.Accuracy, 12);
        Assert.Equal(250, pooled.MeanLength, 12);
        Assert.Equal(250, pooled.TokensPerSecond, 12);
        Assert.Equal([new DifficultyBreakdown(3, 2, 0, 250), new DifficultyBreakdown(5, 1, 1, 400)], pooled.ByLevel);
    }
}
