using System.Diagnostics;
using Xunit.Abstractions;

namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Inputs built to make a grader hang or crash (Math-Verify bounds parsing and verifying by timeouts:
/// huggingface/Math-Verify tests/test_timeout.py). Each is judged wrong with a reason and never takes long: the
/// grader's budget is 100 ms of CPU per case (<see cref="GradingOptions.TimeBudget"/>), sizes are capped, the patterns
/// run in about linear time, and the evaluator refuses what it cannot compute (2^{10^{10}} overflows and is compared
/// with nothing; inom{n}{k} beyond 10⁴ factors is not computed). The wall-clock bound asserted here is loose (1 s) so a loaded machine
/// does not fail it; the figures are printed.
/// </summary>
public class When_the_input_is_hostile(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "huge binomial", "1", "$\\boxed{\\binom{2000000000}{1000000000}}$" },
        { "binomial past its top", "1", "$\\boxed{\\binom{2}{2000000000}}$" },
        { "huge exponents", "$2^{10^{10}+1}$", "$\\boxed{2^{10^{10}}}$" },
        { "huge factorial", "1", "$\\boxed{(10^{10})!}$" },
        { "deeply nested braces", "1", "$\\boxed{" + new string('{', 50_000) + "1" + new string('}', 50_000) + "}$" },
        { "deeply nested parentheses", "1", "$" + new string('(', 20_000) + "1" + new string(')', 20_000) + "$" },
        { "100 kB of digits", "1", new string('7', 100_000) },
        { "100 kB of digits in a box", "1", "\\boxed{" + new string('7', 100_000) + "}" },
        { "a sum of 20 000 terms", "2", "$" + string.Concat(Enumerable.Repeat("1+", 20_000)) + "1$" },
        { "many open boxes", "1", string.Concat(Enumerable.Repeat("\\boxed{", 20_000)) },
        { "many dollar signs", "1", new string('$', 100_000) },
        { "many display brackets", "1", string.Concat(Enumerable.Repeat("\\[ x ", 10_000)) },
        { "text over the length cap", "1", new string('a', 300_000) + " 1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void It_is_judged_wrong_with_a_reason_without_hanging(string name, string gold, string prediction)
    {
        AnswerGrader.Grade("1", "\\boxed{1}");
        var cpu = GradingBudget.ThreadTime();
        var clock = Stopwatch.StartNew();

        var grade = AnswerGrader.Grade(gold, prediction);

        var elapsed = clock.Elapsed.TotalMilliseconds;
        var cpuMilliseconds = (GradingBudget.ThreadTime() - cpu).TotalMilliseconds;
        output.WriteLine($"{name}: {elapsed:F1} ms wall-clock, {cpuMilliseconds:F1} ms CPU, correct={grade.Correct}, reason: {grade.Reason}");
        Assert.False(grade.Correct, name);
        Assert.False(string.IsNullOrEmpty(grade.Reason), name);
        Assert.True(cpuMilliseconds < 250, $"{name} took {cpuMilliseconds:F0} ms of CPU ({elapsed:F0} ms wall-clock)");
    }

    [Fact]
    public void An_exhausted_budget_is_the_reason()
    {
        var grade = AnswerGrader.Grade("1", "$\\boxed{1}$", GradingOptions.Default with { TimeBudget = TimeSpan.Zero });

        Assert.False(grade.Correct);
        Assert.StartsWith("gave up after the time budget", grade.Reason);
    }
}
