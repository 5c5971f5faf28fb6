namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Decimal comma against thousands separators, currency and units around a number in prose. Cases from
/// huggingface/Math-Verify tests/test_all.py test_number_extraction (graded there with the expression target only)
/// and the misses listed in issue 17.
/// </summary>
public class When_numbers_use_separators_units_and_currency
{
    private static readonly GradingOptions ExpressionsOnly = GradingOptions.Default with { Targets = ExtractionTargets.Expression };

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "-5", "-5", true },
        { "7425000", "7,425,000", true },
        { "1000", "1 000", true },
        { "1000", "1000.0", true },
        { "1000.0", "1,000.0", true },
        { "1000.99", "1000,99", true },
        { "1,22", "1.22", true },
        { "2.74", "Soucis : 2,74 $ a..", true },
        { "0.4", ".4", true },
        { "1000.99", "1,000.99", true },
        { "1000.99", "$1,000.99", true },
        { "1000.99", "1,000.99$", true },
        { "1000.99", "the number is not 10 which is 1,000.99€", true },
        { "1000.99", "so the number is 10 which is 1,000.99m²", true },
        { "1000.99", "not it's not 10 it's 1,000.99m²", true },
        { "0,111", "0.111", true },
        { "2", "AZYUK2A", false },
        { "1000", "1,001", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_number_is_read_as_math_verify_reads_it(string gold, string prediction, bool expected) =>
        Verdict.Is(expected, gold, prediction, ExpressionsOnly);

    [Theory]
    [InlineData("$9$", "Answer $ 9 $")]
    [InlineData("$9$", "Answer \\[ 9 \\]")]
    [InlineData("$9$", "Answer $$ 9 $$")]
    [InlineData("1000.99", "1000,99")]
    [InlineData("0.111", "0,111")]
    [InlineData("1000.99", "the number is 1,000.99€")]
    [InlineData("1000.99", "1,000.99m²")]
    [InlineData("2.74", "Soucis : 2,74 $")]
    [InlineData("32348", "\\$32,\\!348")]
    [InlineData("11111111100", "is $\\boxed{11,\\! 111,\\! 111,\\! 100}$")]
    public void The_misses_of_issue_17_are_read_with_the_default_settings(string gold, string prediction) => Verdict.Is(true, gold, prediction);

    [Fact]
    public void A_digit_after_a_comma_in_a_bare_answer_is_a_list_not_a_decimal() => Verdict.Is(true, "-2,1", "1, -2");

    [Fact]
    public void A_thousands_group_needs_three_digits() => Verdict.Is(false, " So the answer is: \\[ \\boxed{32349} \\]", "is $\\boxed{32, 349}$");
}
