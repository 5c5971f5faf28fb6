using Xunit.Abstractions;

namespace PrunerPipeline.Grading.Tests;

/// <summary>The training splits the reward service grades against: every gold must match its own reference solution.</summary>
public class When_the_grader_meets_the_training_sets(ITestOutputHelper output)
{
    [Theory]
    [InlineData("math/train.jsonl")]
    [InlineData("gsm8k/train.jsonl")]
    public void Every_gold_matches_its_own_reference_solution(string dataset)
    {
        var rows = SharedDatasets.Read(dataset);
        var failures = rows
            .Where(row => !AnswerGrader.Grade(row.Answer, row.Solution).Correct)
            .Select(row => $"{row.Id}: gold '{row.Answer}' extracted '{AnswerExtractor.Extract(row.Solution)}'")
            .ToList();

        output.WriteLine($"{dataset}: {rows.Count - failures.Count}/{rows.Count} golds match their own solution");
        failures.ForEach(output.WriteLine);
        Assert.True(failures.Count <= rows.Count / 100, string.Join('\n', failures.Take(50)));
    }
}

public class When_the_grader_meets_the_synthetic_task
{
    [Fact]
    public void Every_teacher_trace_is_graded_correct_and_a_wrong_final_answer_is_not()
    {
        var problems = PrunerPipeline.Datasets.DatasetCatalog.Load("synthetic", "train", limit: 500);

        Assert.All(problems, problem =>
        {
            Assert.True(AnswerGrader.Grade(problem.Answer, problem.Solution).Correct, problem.Id);
            var wrong = problem.Solution[..problem.Solution.LastIndexOf("\\boxed{", StringComparison.Ordinal)] + $"\\boxed{{{int.Parse(problem.Answer) + 1}}}";
            Assert.False(AnswerGrader.Grade(problem.Answer, wrong).Correct, problem.Id);
        });
    }
}
