using System.Text.RegularExpressions;
using PrunerPipeline.Grading.Answers;
using PrunerPipeline.Grading.Normalization;
using Xunit.Abstractions;

namespace PrunerPipeline.Grading.Tests;

/// <summary>
/// Self-consistency on the shared datasets: every gold answer must be judged equal to itself, to the boxed answer
/// of its own reference solution (MATH-500), to itself written as a model would (\boxed{…}, "The answer is …"),
/// and must not be judged equal to most other problems' answers.
/// </summary>
public class When_the_grader_checks_the_datasets_against_themselves(ITestOutputHelper output)
{
    private const double RequiredRate = 0.99;

    public static TheoryData<string> EvaluationSets => new() { "math500/test.jsonl", "gaokao2023en/test.jsonl" };

    [Theory]
    [MemberData(nameof(EvaluationSets))]
    public void Every_gold_answer_matches_its_own_solution_and_itself(string dataset)
    {
        var rows = SharedDatasets.Read(dataset);
        var checks = 0;
        var failures = new List<string>();
        foreach (var row in rows)
        {
            // Math delimiters go, an escaped dollar sign (\$18.90) stays.
            var bareGold = Regex.Replace(row.Answer, @"(?<!\\)\$", "");
            var predictions = new List<(string Kind, string Text)>
            {
                ("itself", row.Answer),
                ("boxed", $"Let us compute. Therefore the result is $\\boxed{{{bareGold}}}$."),
                ("answer-is", $"Putting it together.\nThe answer is ${bareGold}$."),
            };
            if (row.Solution.Length > 0)
            {
                predictions.Add(("own solution", row.Solution));
            }

            foreach (var (kind, text) in predictions)
            {
                checks++;
                var grade = AnswerGrader.Grade(row.Answer, text);
                if (!grade.Correct)
                {
                    failures.Add($"{row.Id} [{kind}] gold '{row.Answer}' extracted '{grade.Extracted}': {grade.Reason}");
                }
            }
        }

        var rate = 1 - (double)failures.Count / checks;
        output.WriteLine($"{dataset}: {rows.Count} problems, {checks} checks, self-consistency {rate:P2}, {failures.Count} failures");
        failures.ForEach(output.WriteLine);

        // Diagnostic: golds whose structure was not recognised are compared as text only (still exact, but not lenient).
        var textOnly = rows.Where(row => AnswerParser.Parse(AnswerNormalizer.Normalize(AnswerExtractor.ExtractGold(row.Answer)).Text) is TextAnswer).ToList();
        output.WriteLine($"{textOnly.Count} golds are compared as text: {string.Join(" | ", textOnly.Select(row => row.Answer))}");
        Assert.True(rate >= RequiredRate, $"{dataset}: self-consistency {rate:P2} < {RequiredRate:P0}:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void Every_gsm8k_gold_matches_its_own_solution()
    {
        var rows = SharedDatasets.Read("gsm8k/test.jsonl");
        var failures = rows.Select(row => (row, Grade: AnswerGrader.Grade(row.Answer, row.Solution)))
            .Where(pair => !pair.Grade.Correct).Select(pair => $"{pair.row.Id}: '{pair.Grade.Extracted}' {pair.Grade.Reason}").ToList();

        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(EvaluationSets))]
    public void Different_problems_answers_are_rarely_equal(string dataset)
    {
        // Distinct gold strings can still be the same answer ("\frac12" and "\frac{1}{2}"), but a grader that
        // accepts many cross-problem pairs is too lenient. Each answer is checked against 20 others.
        var answers = SharedDatasets.Read(dataset).Select(row => row.Answer).Distinct().ToList();
        var pairs = 0;
        var accepted = new List<string>();
        for (var i = 0; i < answers.Count; i++)
        {
            for (var step = 1; step <= 20; step++)
            {
                var other = answers[(i + step * 7) % answers.Count];
                if (other == answers[i])
                {
                    continue;
                }

                pairs++;
                if (AnswerGrader.AreEquivalent(answers[i], other))
                {
                    accepted.Add($"'{answers[i]}' == '{other}'");
                }
            }
        }

        output.WriteLine($"{dataset}: {accepted.Count} of {pairs} cross-problem pairs judged equal");
        accepted.ForEach(output.WriteLine);
        Assert.True(accepted.Count <= pairs / 200, string.Join('\n', accepted));
    }
}
