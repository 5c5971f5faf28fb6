using System.Numerics;

namespace PrunerPipeline.Grading.Expressions;

/// <summary>
/// A parsed algebraic answer: a function of its free variables evaluated over the complex numbers
/// (so <c>1+2i</c> and <c>\sqrt{-3}</c> are ordinary values).
/// </summary>
internal sealed class MathExpression(Func<IReadOnlyDictionary<string, Complex>, Complex> evaluate, IReadOnlySet<string> variables)
{
    private static readonly IReadOnlyDictionary<string, Complex> NoVariables = new Dictionary<string, Complex>();

    public IReadOnlySet<string> Variables { get; } = variables;

    public bool IsConstant => Variables.Count == 0;

    public Complex Evaluate(IReadOnlyDictionary<string, Complex> values) => evaluate(values);

    public Complex Evaluate() => evaluate(NoVariables);

    /// <summary>left − right: an equation's left side minus its right side.</summary>
    public static MathExpression Difference(MathExpression left, MathExpression right) =>
        new(values => left.Evaluate(values) - right.Evaluate(values), new HashSet<string>(left.Variables.Concat(right.Variables)));
}
