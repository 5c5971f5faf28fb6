using Microsoft.Extensions.Options;
using PrunerPipeline.Datasets;
using PrunerPipeline.Hosting.Datasets;

namespace PrunerPipeline.Hosting.Tests.Datasets;

/// <summary>The one lookup sampling and scoring use: the configured root, bound once, and unknown ids as bad input.</summary>
public sealed class When_a_message_names_its_problems
{
    [Fact]
    public void The_problems_come_back_in_the_order_asked()
    {
        var lookup = new ProblemLookup(Options.Create(new DatasetOptions()));

        var found = lookup.Find("synthetic", ["syn-train-00042", "syn-validation-00002"], "Shard 0 of run r1");

        Assert.Equal(["syn-train-00042", "syn-validation-00002"], found.Select(p => p.Id));
    }

    [Fact]
    public void Unknown_ids_and_an_empty_list_are_bad_input_that_names_the_asker()
    {
        var lookup = new ProblemLookup(Options.Create(new DatasetOptions()));

        var unknown = Assert.Throws<ArgumentException>(() => lookup.Find("synthetic", ["syn-train-00001", "syn-train-nope"], "Shard 3 of run r1"));
        Assert.StartsWith("Shard 3 of run r1: ", unknown.Message);
        Assert.Contains("syn-train-nope", unknown.Message);
        var empty = Assert.Throws<ArgumentException>(() => lookup.Find("synthetic", [], "Shard 4 of run r1"));
        Assert.Equal("Shard 4 of run r1 has no problem ids", empty.Message);
        Assert.Throws<ArgumentException>(() => lookup.Find("no-such-dataset", ["x"], "Shard 5 of run r1"));
    }

    [Fact]
    public void The_root_is_read_from_configuration_once_by_the_hosting_defaults()
    {
        using var folder = new TemporaryFolder("datasets-root");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Datasets:Root"] = folder.Path }).Build();
        using var provider = new ServiceCollection().AddPrunerArtifacts(configuration).BuildServiceProvider();

        var lookup = provider.GetRequiredService<ProblemLookup>();

        Assert.Equal(folder.Path, lookup.Root);
        // A gsm8k id under a root without gsm8k/: the missing file is bad input too, named with the root.
        var error = Assert.Throws<ArgumentException>(() => lookup.Find("gsm8k", ["gsm8k-test-0000"], "Shard 0 of run r2"));
        Assert.StartsWith("Shard 0 of run r2: ", error.Message);
    }
}
