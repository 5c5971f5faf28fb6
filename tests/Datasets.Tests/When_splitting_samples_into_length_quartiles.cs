using PrunerPipeline.LongThought.Pilot;

namespace PrunerPipeline.Datasets.Tests;

public class When_splitting_samples_into_length_quartiles
{
    private static PilotSample Sample(int index, int length, bool correct) => new(index, length, correct, "stop");

    [Fact]
    public void Samples_are_grouped_shortest_first_into_four_equal_groups()
    {
        // lengths 10..80 in a shuffled order; only the two longest are wrong
        int[] lengths = [50, 10, 80, 30, 20, 70, 60, 40];
        var samples = lengths.Select((l, i) => Sample(i, l, correct: l < 70)).ToList();

        var quartiles = LengthQuartiles.Summarise("p", 2, samples);

        Assert.Equal([15.0, 35.0, 55.0, 75.0], quartiles.QuartileMeanLength);
        Assert.Equal([1.0, 1.0, 1.0, 0.0], quartiles.QuartileAccuracy);
        Assert.Equal(10, quartiles.ShortestCorrectLength);
        Assert.Equal(0.75, quartiles.Accuracy);
        Assert.Equal(45.0, quartiles.MeanLength);
    }

    [Fact]
    public void Ties_in_length_are_broken_by_sample_index_so_the_split_is_deterministic()
    {
        var samples = Enumerable.Range(0, 8).Select(i => Sample(i, 5, correct: i % 2 == 0)).Reverse().ToList();

        var quartiles = LengthQuartiles.Summarise("p", null, samples);

        Assert.Equal([0.5, 0.5, 0.5, 0.5], quartiles.QuartileAccuracy);
    }

    [Fact]
    public void A_problem_without_a_correct_sample_has_no_shortest_correct_length()
    {
        var quartiles = LengthQuartiles.Summarise("p", null, Enumerable.Range(0, 4).Select(i => Sample(i, 10 + i, false)).ToList());

        Assert.Null(quartiles.ShortestCorrectLength);
        Assert.Equal(0.0, quartiles.Accuracy);
    }

    [Fact]
    public void Fewer_than_four_samples_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => LengthQuartiles.Summarise("p", null, [Sample(0, 1, true), Sample(1, 2, true)]));
    }

    [Fact]
    public void The_report_averages_problems_equally_and_relates_length_to_the_shortest_correct_sample()
    {
        var easy = LengthQuartiles.Summarise("easy", 1, Enumerable.Range(0, 4).Select(i => Sample(i, 10 * (i + 1), true)).ToList());
        var hard = LengthQuartiles.Summarise("hard", 4, Enumerable.Range(0, 4).Select(i => Sample(i, 100, i == 0)).ToList());
        var unsolved = LengthQuartiles.Summarise("unsolved", 4, Enumerable.Range(0, 4).Select(i => Sample(i, 30, false)).ToList());

        var report = LengthQuartiles.Report("m", "d", 1.0, 256, 1.5, [easy, hard, unsolved], truncatedFraction: 0);

        Assert.Equal((1.0 + 0.25 + 0) / 3, report.Accuracy, 9);
        Assert.Equal(2, report.ProblemsWithACorrectSample);
        Assert.Equal((10 + 100) / 2.0, report.MeanShortestCorrectLength, 9);
        Assert.Equal(((25 + 100) / 2.0) / ((10 + 100) / 2.0), report.LengthOverShortestCorrect, 9);
        Assert.Equal((1.0 + 1.0 + 0) / 3, report.QuartileAccuracy[0], 9);
        Assert.Equal((1.0 + 0 + 0) / 3, report.QuartileAccuracy[3], 9);
    }
}
