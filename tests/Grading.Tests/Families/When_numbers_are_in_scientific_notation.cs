namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Powers of ten written with \times or \cdot. Math-Verify parses these as products (README "Advanced Parsing"); its own
/// tests hold no such case, so these are ours, in the style of MATH answers.
/// </summary>
public class When_numbers_are_in_scientific_notation
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "1500", "$\\boxed{1.5 \\times 10^{3}}$", true },
        { "0.03", "$\\boxed{3 \\cdot 10^{-2}}$", true },
        { "1024", "$\\boxed{2^{10}}$", true },
        { "6.02\\times10^{23}", "$\\boxed{602 \\times 10^{21}}$", true },
        { "1500", "$\\boxed{1.5 \\times 10^{4}}$", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_power_of_ten_is_its_value(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);
}
