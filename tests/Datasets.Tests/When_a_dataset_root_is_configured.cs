namespace PrunerPipeline.Datasets.Tests;

public sealed class When_a_dataset_root_is_configured : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "datasets-root-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Files_are_read_from_it_instead_of_the_shared_folder()
    {
        Directory.CreateDirectory(Path.Combine(_root, "math500"));
        File.WriteAllText(Path.Combine(_root, "math500", "test.jsonl"),
            """{"id": "x-1", "problem": "1+1?", "answer": "2", "solution": "", "source": "math500", "level": 1, "subject": "Algebra"}""" + "\n");

        var problems = DatasetCatalog.Load("math500", "test", root: _root);

        Assert.Equal([new Problem("x-1", "1+1?", "2", "", "math500", 1, "Algebra")], problems);
    }

    [Fact]
    public void A_line_that_is_not_a_problem_is_reported_with_its_line_number()
    {
        Directory.CreateDirectory(Path.Combine(_root, "gsm8k"));
        File.WriteAllText(Path.Combine(_root, "gsm8k", "test.jsonl"),
            """{"id": "a", "problem": "p", "answer": "1", "solution": "", "source": "gsm8k"}""" + "\n" + """{"id": "b", "problem": "p"}""" + "\n");

        var error = Assert.Throws<InvalidDataException>(() => DatasetCatalog.Load("gsm8k", "test", root: _root));

        Assert.Contains("test.jsonl:2", error.Message);
        Assert.Contains("'answer'", error.Message);
    }
}
