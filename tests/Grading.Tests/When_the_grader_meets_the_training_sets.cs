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
            .Select(row => (row, Grade: AnswerGrader.Grade(row.Answer, row.Solution)))
            .Where(pair => !pair.Grade.Correct)
            .Select(pair => $"{pair.row.Id}: gold '{pair.row.Answer}' extracted '{pair.Grade.Extracted}': {pair.Grade.Reason}")
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
            var graded = AnswerGrader.Grade(problem.Answer, wrong);
            Assert.False(graded.Correct, $"{problem.Id}: extracted '{graded.Extracted}' from '{wrong[Math.Max(0, wrong.Length - 60)..]}'");
        });
    }
}
