using System.Text.RegularExpressions;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.Datasets.Tests;

public partial class When_generating_the_synthetic_task
{
    [Fact]
    public void The_same_seed_gives_the_same_problems_and_traces()
    {
        var options = new SyntheticTaskOptions { Seed = 7, ValidationSize = 64, TestSize = 64 };
        var first = new SyntheticTask(options);
        var second = new SyntheticTask(options);

        foreach (var split in SyntheticTask.Splits)
            Assert.Equal(first.Load(split, 64), second.Load(split, 64));
        Assert.Equal(first.TrainingExample(5, variant: 3), second.TrainingExample(5, variant: 3));
    }

    [Fact]
    public void A_different_seed_gives_different_problems()
    {
        var a = new SyntheticTask(new SyntheticTaskOptions { Seed = 1, ValidationSize = 32, TestSize = 32 }).Load("train", 32);
        var b = new SyntheticTask(new SyntheticTaskOptions { Seed = 2, ValidationSize = 32, TestSize = 32 }).Load("train", 32);

        Assert.NotEqual(a.Select(p => p.Question), b.Select(p => p.Question));
    }

    [Fact]
    public void Splits_never_share_a_question()
    {
        var task = SyntheticTask.Default;
        var train = task.Load("train", 20_000).Select(p => p.Question).ToHashSet();
        var validation = task.Load("validation").Select(p => p.Question).ToList();
        var test = task.Load("test").Select(p => p.Question).ToList();

        Assert.Equal(task.Options.ValidationSize, validation.Distinct().Count());
        Assert.Equal(task.Options.TestSize, test.Distinct().Count());
        Assert.Empty(validation.Intersect(test));
        Assert.Empty(train.Intersect(validation));
        Assert.Empty(train.Intersect(test));
    }

    [Fact]
    public void Every_teacher_trace_boxes_its_gold_answer()
    {
        var task = SyntheticTask.Default;
        var problems = task.Load("train", 2000).Concat(task.Load("validation")).Concat(task.Load("test"));
        var examples = Enumerable.Range(0, 2000).Select(i => task.TrainingExample(i, variant: i % 5));

        Assert.All(problems, p => Assert.Equal(p.Answer, LastBoxed(p.Solution)));
        Assert.All(examples, e => Assert.Equal(e.Problem.Answer, LastBoxed(e.Trace)));
    }

    [Fact]
    public void The_answer_is_the_chain_evaluated_left_to_right()
    {
        foreach (var problem in SyntheticTask.Default.Load("test", 200))
        {
            var expression = ExpressionPattern().Match(problem.Question).Groups[1].Value;
            var value = 0;
            foreach (Match term in TermPattern().Matches(expression))
                value += int.Parse(term.Value);
            Assert.Equal(value.ToString(), problem.Answer);
            Assert.Equal(TermPattern().Matches(expression).Count - 1, problem.Level);
        }
    }

    [Fact]
    public void Levels_cover_the_range_and_rechecks_do_not_depend_on_the_level()
    {
        var task = SyntheticTask.Default;
        var examples = Enumerable.Range(0, 4000).Select(i => task.TrainingExample(i)).Where(e => !e.Brief).ToList();

        var levels = examples.Select(e => e.Problem.Level!.Value).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(task.Options.MinLevel, task.Options.MaxLevel - task.Options.MinLevel + 1), levels);
        foreach (var byLevel in examples.GroupBy(e => e.Problem.Level))
            Assert.InRange(byLevel.Average(e => e.Rechecks), 1.7, 2.3);
        Assert.Equal(task.Options.MaxRechecks, examples.Max(e => e.Rechecks));
        Assert.Equal(0, examples.Min(e => e.Rechecks));
    }

    [Fact]
    public void Brief_prompts_are_a_small_fraction_and_recheck_less_but_not_never()
    {
        var task = SyntheticTask.Default;
        var examples = Enumerable.Range(0, 4000).Select(i => task.TrainingExample(i)).ToList();
        var brief = examples.Where(e => e.Brief).ToList();

        Assert.InRange(brief.Count / (double)examples.Count, 0.08, 0.16);
        Assert.All(brief, e => Assert.EndsWith(SyntheticTask.BriefInstruction, e.UserTurn));
        Assert.All(examples.Where(e => !e.Brief), e => Assert.DoesNotContain(SyntheticTask.BriefInstruction, e.UserTurn));
        Assert.True(brief.Average(e => e.Rechecks) < examples.Where(e => !e.Brief).Average(e => e.Rechecks) - 0.3);
        Assert.Contains(brief, e => e.Rechecks > 0);
    }

    [Fact]
    public void Traces_recheck_by_redoing_every_step_and_sometimes_correct_a_slip()
    {
        var examples = Enumerable.Range(0, 1000).Select(i => SyntheticTask.Default.TrainingExample(i)).ToList();

        Assert.All(examples, e =>
        {
            Assert.StartsWith(TeacherTrace.ThinkOpen + "\n", e.Trace);
            Assert.Equal(e.Rechecks, Regex.Matches(e.Trace, TeacherTrace.RecheckHeader).Count);
            var stepLines = e.Trace.Split('\n').Count(line => line.Contains('=') && !line.StartsWith(TeacherTrace.CorrectionPrefix));
            Assert.Equal((e.Rechecks + 1) * e.Problem.Level, stepLines);
        });
        Assert.InRange(examples.Count(e => e.Trace.Contains(TeacherTrace.CorrectionPrefix)), 20, 400);
    }

    [Fact]
    public void Ids_round_trip_through_find_and_unknown_ids_are_named()
    {
        var validation = SyntheticTask.Default.Load("validation", 3);
        var train = SyntheticTask.Default.Load("train", 43);

        Assert.Equal("syn-train-00042", train[42].Id);
        Assert.Equal([validation[2], train[42]], DatasetCatalog.Find("synthetic", ["syn-validation-00002", "syn-train-00042"]));
        var error = Assert.Throws<KeyNotFoundException>(() => DatasetCatalog.Find("synthetic", ["syn-test-99999", "syn-train-1", "gsm8k-test-0000"]));
        Assert.Contains("'syn-test-99999'", error.Message);
        Assert.Contains("'syn-train-1'", error.Message);
        Assert.Contains("'gsm8k-test-0000'", error.Message);
    }

    private static string LastBoxed(string text) => BoxedPattern().Matches(text)[^1].Groups[1].Value;

    [GeneratedRegex(@"\\boxed\{(-?\d+)\}")]
    private static partial Regex BoxedPattern();

    [GeneratedRegex(@"^What is ([0-9+\-]+)\?$")]
    private static partial Regex ExpressionPattern();

    [GeneratedRegex(@"[+\-]?\d+")]
    private static partial Regex TermPattern();
}
