using System.Text.RegularExpressions;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.Datasets.Tests;

public partial class When_generating_task_v2
{
    private static readonly SyntheticTask V2 = new(new SyntheticTaskOptions { Version = 2 });

    private static readonly List<SyntheticTrainingExample> Examples =
        Enumerable.Range(0, 8000).Select(i => V2.TrainingExample(i, variant: i % 3)).ToList();

    [Fact]
    public void Questions_gold_answers_and_levels_are_those_of_v1()
    {
        foreach (var split in SyntheticTask.Splits)
        {
            var v1 = SyntheticTask.Default.Load(split, 300);
            var v2 = V2.Load(split, 300);
            Assert.Equal(v1.Select(p => (p.Id, p.Question, p.Answer, p.Level)), v2.Select(p => (p.Id, p.Question, p.Answer, p.Level)));
        }
    }

    [Fact]
    public void V1_never_slips_and_its_traces_are_unchanged_by_the_option()
    {
        var v1 = new SyntheticTask(new SyntheticTaskOptions { Version = 1, MaxSlipRate = 0.9 });
        for (var i = 0; i < 500; i++)
        {
            var example = v1.TrainingExample(i, variant: 1);
            Assert.False(example.Slipped);
            Assert.Equal(SyntheticTask.Default.TrainingExample(i, variant: 1), example);
            Assert.DoesNotContain(TeacherTrace.FixPrefix, example.Trace);
        }
    }

    [Fact]
    public void The_slip_rate_is_zero_at_level_1_and_grows_to_about_the_max_rate_at_the_hardest_level()
    {
        var rates = Examples.GroupBy(e => e.Problem.Level!.Value).OrderBy(g => g.Key)
            .Select(g => (Level: g.Key, Rate: g.Average(e => e.Slipped ? 1.0 : 0.0))).ToList();

        Assert.Equal([1, 2, 3, 4], rates.Select(r => r.Level));
        Assert.Equal(0, rates[0].Rate);
        for (var i = 1; i < rates.Count; i++)
        {
            Assert.True(rates[i].Rate > rates[i - 1].Rate + 0.08, $"level {rates[i].Level}: {rates[i].Rate:P1} vs {rates[i - 1].Rate:P1}");
            Assert.InRange(rates[i].Rate, V2.Options.SlipRate(rates[i].Level) - 0.06, V2.Options.SlipRate(rates[i].Level) + 0.03);
        }
        Assert.InRange(rates[^1].Rate, 0.42, 0.53);
    }

    [Fact]
    public void Rechecks_stay_independent_of_the_level()
    {
        foreach (var byLevel in Examples.Where(e => !e.Brief).GroupBy(e => e.Problem.Level))
            Assert.InRange(byLevel.Average(e => e.Rechecks), V2.Options.MaxRechecks / 2.0 - 0.25, V2.Options.MaxRechecks / 2.0 + 0.25);
    }

    [Fact]
    public void A_slip_stands_without_a_recheck_and_the_first_recheck_fixes_and_boxes_the_gold_answer()
    {
        Assert.All(Examples, e =>
        {
            var lastLine = FirstPass(e.Trace)[^1];
            var firstPassAnswer = lastLine[(lastLine.IndexOf('=') + 1)..];
            var boxed = LastBoxed(e.Trace);
            var fixes = FixPattern().Matches(e.Trace).Select(m => m.Groups[1].Value).ToList();
            if (!e.Slipped)
            {
                Assert.Equal(e.Problem.Answer, firstPassAnswer);
                Assert.Equal(e.Problem.Answer, boxed);
                Assert.Empty(fixes);
            }
            else if (e.Rechecks == 0)
            {
                Assert.NotEqual(e.Problem.Answer, firstPassAnswer);
                Assert.Equal(firstPassAnswer, boxed);
                Assert.Empty(fixes);
            }
            else
            {
                Assert.NotEqual(e.Problem.Answer, firstPassAnswer);
                Assert.Equal(e.Problem.Answer, boxed);
                Assert.Equal([e.Problem.Answer], fixes);
                // The fix ends the first re-check pass, which recomputed every step from the question.
                var firstCheck = e.Trace.Split(TeacherTrace.RecheckHeader + "\n")[1];
                Assert.Contains(TeacherTrace.FixPrefix + e.Problem.Answer + "\n", firstCheck);
            }
        });
    }

    [Fact]
    public void A_slip_is_one_wrong_step_carried_on_so_every_other_step_is_right()
    {
        Assert.All(Examples.Where(e => e.Slipped), e =>
        {
            var lines = FirstPass(e.Trace);
            // A detour is a wrong line that the next line ("wait, …") corrects; drop the wrong line, keep its correction.
            var kept = lines.Where((l, i) => i + 1 >= lines.Count || !lines[i + 1].StartsWith(TeacherTrace.CorrectionPrefix)).ToList();
            Assert.Equal(e.Problem.Level, kept.Count);
            Assert.Equal(1, kept.Count(l => !IsRightStep(l)));
            Assert.All(StepResults(kept).Select(int.Parse), v => Assert.InRange(v, 0, V2.Options.MaxValue));
        });
    }

    [Fact]
    public void Teacher_traces_with_rechecks_are_always_right_and_without_are_wrong_at_the_slip_rate()
    {
        var hardest = Examples.Where(e => e.Problem.Level == 4 && e.Rechecks == 0).ToList();
        var easiest = Examples.Where(e => e.Problem.Level == 1 && e.Rechecks == 0).ToList();

        Assert.All(Examples.Where(e => e.Rechecks > 0), e => Assert.Equal(e.Problem.Answer, LastBoxed(e.Trace)));
        Assert.All(easiest, e => Assert.Equal(e.Problem.Answer, LastBoxed(e.Trace)));
        Assert.InRange(hardest.Average(e => LastBoxed(e.Trace) == e.Problem.Answer ? 1.0 : 0.0), 0.45, 0.60);
    }

    [Fact]
    public void Held_out_solutions_never_slip_and_box_the_gold_answer()
    {
        var problems = V2.Load("validation").Concat(V2.Load("test")).Concat(V2.Load("train", 1000));
        Assert.All(problems, p =>
        {
            Assert.Equal(p.Answer, LastBoxed(p.Solution));
            Assert.DoesNotContain(TeacherTrace.FixPrefix, p.Solution);
        });
    }

    [Fact]
    public void An_out_of_range_version_or_slip_rate_is_rejected_naming_the_field()
    {
        Assert.Contains("Version", Assert.Throws<ArgumentException>(() => new SyntheticTask(new SyntheticTaskOptions { Version = 3 })).Message);
        Assert.Contains("MaxSlipRate", Assert.Throws<ArgumentException>(() => new SyntheticTask(new SyntheticTaskOptions { Version = 2, MaxSlipRate = 1.5 })).Message);
    }

    private static List<string> FirstPass(string trace) => trace.Split('\n').Skip(1)
        .TakeWhile(l => l != TeacherTrace.RecheckHeader && l != TeacherTrace.ThinkClose).ToList();

    private static List<string> StepResults(IEnumerable<string> lines) => lines.Select(l => l[(l.IndexOf('=') + 1)..]).ToList();

    private static bool IsRightStep(string line)
    {
        var match = StepPattern().Match(line);
        var left = int.Parse(match.Groups[1].Value);
        var operand = int.Parse(match.Groups[3].Value);
        var expected = match.Groups[2].Value == "+" ? left + operand : left - operand;
        return expected == int.Parse(match.Groups[4].Value);
    }

    private static string LastBoxed(string text) => BoxedPattern().Matches(text)[^1].Groups[1].Value;

    [GeneratedRegex(@"\\boxed\{(-?\d+)\}")]
    private static partial Regex BoxedPattern();

    [GeneratedRegex(@"fixed: (\d+)")]
    private static partial Regex FixPattern();

    [GeneratedRegex(@"^(?:wait, )?(\d+)([+\-])(\d+)=(-?\d+)$")]
    private static partial Regex StepPattern();
}
