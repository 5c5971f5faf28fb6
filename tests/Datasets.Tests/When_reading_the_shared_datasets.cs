using PrunerPipeline.Datasets;

namespace PrunerPipeline.Datasets.Tests;

public class When_reading_the_shared_datasets
{
    [Theory]
    [InlineData("gsm8k", "train", 7473)]
    [InlineData("gsm8k", "test", 1319)]
    [InlineData("math", "train", 7498)]
    [InlineData("math500", "test", 500)]
    [InlineData("gaokao2023en", "test", 383)]
    public void Every_line_becomes_a_problem_with_an_answer(string name, string split, int expectedCount)
    {
        var problems = DatasetCatalog.Load(name, split);

        Assert.Equal(expectedCount, problems.Count);
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Answer)));
        Assert.All(problems, p => Assert.Equal(name, p.Source));
        Assert.Equal(problems.Count, problems.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Gsm8k_fields_map_to_the_problem_record()
    {
        var first = DatasetCatalog.Load("gsm8k", "test", limit: 1).Single();

        Assert.Equal("gsm8k-test-0000", first.Id);
        Assert.StartsWith("Janet", first.Question);
        Assert.Equal("18", first.Answer);
        Assert.Contains("#### 18", first.Solution);
        Assert.Null(first.Level);
    }

    [Fact]
    public void Math500_keeps_level_and_subject()
    {
        var first = DatasetCatalog.Load("math500", "test", limit: 3)[0];

        Assert.Equal("test/precalculus/807.json", first.Id);
        Assert.Equal("Precalculus", first.Subject);
        Assert.InRange(first.Level!.Value, 1, 5);
    }

    [Fact]
    public void Find_returns_problems_in_the_order_asked_across_splits()
    {
        var found = DatasetCatalog.Find("gsm8k", ["gsm8k-test-0001", "gsm8k-train-0000"]);

        Assert.Equal(["gsm8k-test-0001", "gsm8k-train-0000"], found.Select(p => p.Id));
        Assert.Equal("72", found[1].Answer);
    }

    [Fact]
    public void Find_names_every_unknown_id()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => DatasetCatalog.Find("math500", ["test/precalculus/807.json", "nope-1", "nope-2"]));

        Assert.Contains("'nope-1'", error.Message);
        Assert.Contains("'nope-2'", error.Message);
        Assert.DoesNotContain("807", error.Message);
    }

    [Fact]
    public void An_unknown_dataset_or_split_is_a_clear_error()
    {
        var unknownName = Assert.Throws<ArgumentException>(() => DatasetCatalog.Load("mmlu", "test"));
        var unknownSplit = Assert.Throws<ArgumentException>(() => DatasetCatalog.Load("math500", "train"));

        Assert.Contains("gsm8k", unknownName.Message);
        Assert.Contains("allowed: test", unknownSplit.Message);
    }

    [Fact]
    public void A_configured_root_that_does_not_exist_is_reported()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => DatasetCatalog.Load("gsm8k", "test", root: "/nonexistent/datasets"));

        Assert.Contains("/nonexistent/datasets", error.Message);
    }
}
