using System.Numerics;

namespace PrunerPipeline.Grading.Expressions;

/// <summary>
/// Recursive-descent parser for the algebra found in final answers: + − × ÷, powers, implicit products ("2x", "3\sqrt{2}"),
/// <c>\frac</c>, <c>\sqrt[n]</c>, <c>\binom</c>, functions (<c>\sin x</c>, <c>\ln(2)</c>, <c>\log_2 8</c>), |x|, n!, π, e, i,
/// mixed numbers (<c>2\frac{5}{8}</c> = 2 + 5/8) and subscripted variables (<c>a_1</c>).
/// Anything else makes the answer text, compared as a string.
/// </summary>
internal sealed class ExpressionParser
{
    private delegate Complex Evaluation(IReadOnlyDictionary<string, Complex> values);

    private readonly IReadOnlyList<ExpressionToken> tokens;
    private readonly HashSet<string> variables = new(StringComparer.Ordinal);
    private int position;
    private int openAbsoluteBars;

    private ExpressionParser(IReadOnlyList<ExpressionToken> tokens) => this.tokens = tokens;

    /// <summary>Longer texts are not algebra a final answer holds; the cap also bounds the depth of the evaluation closures.</summary>
    private const int MaxLength = 1000;

    public static MathExpression? TryParse(string text)
    {
        if (text.Length > MaxLength)
        {
            return null;
        }

        if (ExpressionTokenizer.Tokenize(text) is not { Count: > 0 } tokens)
        {
            return null;
        }

        var parser = new ExpressionParser(tokens);
        try
        {
            var evaluation = parser.ParseSum();
            return parser.position == tokens.Count ? new MathExpression(v => evaluation(v), parser.variables) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private ExpressionToken? Peek(int offset = 0) => position + offset < tokens.Count ? tokens[position + offset] : null;

    private bool NextIs(char symbol) => Peek() is { } token && token.IsSymbol(symbol);

    private void Expect(char symbol)
    {
        if (!NextIs(symbol))
        {
            throw new FormatException($"expected '{symbol}'");
        }

        position++;
    }

    private Evaluation ParseSum()
    {
        var left = ParseTerm();
        while (NextIs('+') || NextIs('-'))
        {
            var minus = tokens[position++].IsSymbol('-');
            var right = ParseTerm();
            var l = left;
            left = minus ? v => l(v) - right(v) : v => l(v) + right(v);
        }

        return left;
    }

    private Evaluation ParseTerm()
    {
        var termStart = position;
        var left = ParseSigned();
        while (true)
        {
            if (NextIs('*') || NextIs('/'))
            {
                var divide = tokens[position++].IsSymbol('/');
                var right = ParseSigned();
                var l = left;
                left = divide ? v => l(v) / right(v) : v => l(v) * right(v);
            }
            else if (StartsFactor(Peek()))
            {
                var mixedNumber = IsMixedNumber(termStart);
                var right = ParsePower();
                var l = left;
                if (mixedNumber)
                {
                    // 2\frac{5}{8} is two and five eighths; −2\frac{5}{8} is −(2 + 5/8).
                    var negative = tokens[termStart].IsSymbol('-');
                    left = negative ? v => l(v) - right(v) : v => l(v) + right(v);
                }
                else
                {
                    left = v => l(v) * right(v);
                }
            }
            else
            {
                return left;
            }
        }
    }

    /// <summary>The term so far is one (optionally negated) integer, and a \frac of two integers follows.</summary>
    private bool IsMixedNumber(int termStart)
    {
        var integerAt = tokens[termStart].IsSymbol('-') ? termStart + 1 : termStart;
        return position == integerAt + 1
            && tokens[integerAt].IsIntegerNumber
            && Peek() is { Kind: ExpressionTokenKind.Command, Text: "frac" }
            && Peek(1) is { } open1 && open1.IsSymbol('{')
            && Peek(2) is { IsIntegerNumber: true }
            && Peek(3) is { } close1 && close1.IsSymbol('}')
            && Peek(4) is { } open2 && open2.IsSymbol('{')
            && Peek(5) is { IsIntegerNumber: true }
            && Peek(6) is { } close2 && close2.IsSymbol('}');
    }

    private bool StartsFactor(ExpressionToken? token) => token switch
    {
        null => false,
        { Kind: ExpressionTokenKind.Number or ExpressionTokenKind.Letter or ExpressionTokenKind.Command } => true,
        var t when t.Value.IsSymbol('(') || t.Value.IsSymbol('[') || t.Value.IsSymbol('{') => true,
        var t when t.Value.IsSymbol('|') => openAbsoluteBars == 0,
        _ => false,
    };

    private Evaluation ParseSigned()
    {
        if (NextIs('-'))
        {
            position++;
            var operand = ParseSigned();
            return v => -operand(v);
        }

        if (NextIs('+'))
        {
            position++;
            return ParseSigned();
        }

        return ParsePower();
    }

    private Evaluation ParsePower()
    {
        var b = ParsePostfix();
        if (!NextIs('^'))
        {
            return b;
        }

        position++;
        var exponent = ParseExponent();
        return v => Power(b(v), exponent(v));
    }

    /// <summary>An exponent is one atom or a group: x^2y is x²·y, x^{2y} is x^(2y).</summary>
    private Evaluation ParseExponent()
    {
        if (NextIs('-'))
        {
            position++;
            var operand = ParseExponent();
            return v => -operand(v);
        }

        return ParsePostfix();
    }

    private Evaluation ParsePostfix()
    {
        var operand = ParsePrimary();
        while (NextIs('!'))
        {
            position++;
            var o = operand;
            operand = v => Factorial(o(v));
        }

        return operand;
    }

    private Evaluation ParsePrimary()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        GradingBudget.ThrowIfSpent();
        var token = Peek() ?? throw new FormatException("unexpected end");
        position++;
        switch (token.Kind)
        {
            case ExpressionTokenKind.Number:
                var number = new Complex(token.Number, 0);
                return _ => number;
            case ExpressionTokenKind.Letter:
                return ParseVariable(token.Text);
            case ExpressionTokenKind.Command:
                return ParseCommand(token.Text);
        }

        switch (token.Text[0])
        {
            case '(':
                return ParseEnclosed(')');
            case '[':
                return ParseEnclosed(']');
            case '{':
                return ParseEnclosed('}');
            case '|' when openAbsoluteBars == 0:
                openAbsoluteBars++;
                var inner = ParseSum();
                Expect('|');
                openAbsoluteBars--;
                return v => Complex.Abs(inner(v));
            default:
                throw new FormatException($"unexpected '{token.Text}'");
        }
    }

    private Evaluation ParseEnclosed(char close)
    {
        var savedBars = openAbsoluteBars;
        openAbsoluteBars = 0;
        var inner = ParseSum();
        openAbsoluteBars = savedBars;
        Expect(close);
        return inner;
    }

    private Evaluation ParseVariable(string letter)
    {
        if (NextIs('_'))
        {
            position++;
            var subscript = ReadSubscript();
            var name = letter + "_" + subscript;
            variables.Add(name);
            return v => v[name];
        }

        switch (letter)
        {
            case "e":
                return _ => Math.E;
            case "i":
                return _ => Complex.ImaginaryOne;
            default:
                variables.Add(letter);
                return v => v[letter];
        }
    }

    private string ReadSubscript()
    {
        var token = Peek() ?? throw new FormatException("empty subscript");
        position++;
        if (token.Kind is ExpressionTokenKind.Number or ExpressionTokenKind.Letter)
        {
            return token.Text;
        }

        if (!token.IsSymbol('{'))
        {
            throw new FormatException("bad subscript");
        }

        var parts = new List<string>();
        while (Peek() is { } part && !part.IsSymbol('}'))
        {
            if (part.Kind is not (ExpressionTokenKind.Number or ExpressionTokenKind.Letter))
            {
                throw new FormatException("bad subscript");
            }

            parts.Add(part.Text);
            position++;
        }

        Expect('}');
        return string.Concat(parts);
    }

    private Evaluation ParseCommand(string name)
    {
        switch (name)
        {
            case "pi":
                return _ => Math.PI;
            case "infty":
                return _ => double.PositiveInfinity;
            case "frac":
            {
                var numerator = ParseArgument();
                var denominator = ParseArgument();
                return v => numerator(v) / denominator(v);
            }
            case "binom":
            {
                var n = ParseArgument();
                var k = ParseArgument();
                return v => Binomial(n(v), k(v));
            }
            case "sqrt":
            {
                Evaluation? index = null;
                if (NextIs('['))
                {
                    position++;
                    index = ParseEnclosed(']');
                }

                var radicand = ParseArgument();
                return index is null ? v => Complex.Sqrt(radicand(v)) : v => Power(radicand(v), 1 / index(v));
            }
            default:
                return ParseFunction(name);
        }
    }

    /// <summary>A macro argument: a braced group, or one atom (<c>\frac12</c> was braced by the normaliser, <c>sqrt 2</c> was not).</summary>
    private Evaluation ParseArgument() => NextIs('{') || NextIs('(') ? ParsePrimary() : ParsePostfix();

    private Evaluation ParseFunction(string name)
    {
        Evaluation? logBase = null;
        if (name == "log" && NextIs('_'))
        {
            position++;
            logBase = ParsePrimary();
        }

        // \sin^2 x is (sin x)²; \sin^{-1} x is read the same way (rare in final answers).
        Evaluation? power = null;
        if (NextIs('^'))
        {
            position++;
            power = ParseExponent();
        }

        var argument = NextIs('(') || NextIs('{') ? ParsePrimary() : ParseFunctionOperand();
        Func<Complex, Complex> function = name switch
        {
            "sin" => Complex.Sin,
            "cos" => Complex.Cos,
            "tan" => Complex.Tan,
            "cot" => z => 1 / Complex.Tan(z),
            "sec" => z => 1 / Complex.Cos(z),
            "csc" => z => 1 / Complex.Sin(z),
            "arcsin" => Complex.Asin,
            "arccos" => Complex.Acos,
            "arctan" => Complex.Atan,
            "sinh" => Complex.Sinh,
            "cosh" => Complex.Cosh,
            "tanh" => Complex.Tanh,
            "ln" => Complex.Log,
            "exp" => Complex.Exp,
            "log" => z => Complex.Log10(z),
            _ => throw new FormatException($"unknown function {name}"),
        };

        Evaluation applied = logBase is null
            ? v => function(argument(v))
            : v => Complex.Log(argument(v)) / Complex.Log(logBase(v));
        return power is null ? applied : v => Power(applied(v), power(v));
    }

    /// <summary>An unparenthesised argument: the implicit product that follows (\sin 2x = sin(2x)), up to the next function.</summary>
    private Evaluation ParseFunctionOperand()
    {
        var operand = ParsePower();
        while (StartsFactor(Peek()) && !IsFunction(Peek()))
        {
            var right = ParsePower();
            var o = operand;
            operand = v => o(v) * right(v);
        }

        return operand;
    }

    private static bool IsFunction(ExpressionToken? token) =>
        token is { Kind: ExpressionTokenKind.Command } command && ExpressionTokenizer.Functions.Contains(command.Text);

    /// <summary>Integer powers by repeated multiplication, so (−2)³ is exactly −8 rather than −8 + tiny·i.</summary>
    private static Complex Power(Complex b, Complex exponent)
    {
        if (exponent.Imaginary == 0 && Math.Abs(exponent.Real) <= 64 && exponent.Real == Math.Round(exponent.Real))
        {
            var n = (int)Math.Abs(exponent.Real);
            var result = Complex.One;
            for (var k = 0; k < n; k++)
            {
                result *= b;
            }

            return exponent.Real < 0 ? 1 / result : result;
        }

        return Complex.Pow(b, exponent);
    }

    private static Complex Factorial(Complex n)
    {
        if (n.Imaginary != 0 || n.Real < 0 || n.Real > 170 || n.Real != Math.Round(n.Real))
        {
            return double.NaN;
        }

        var result = 1.0;
        for (var k = 2; k <= (int)n.Real; k++)
        {
            result *= k;
        }

        return result;
    }

    private static Complex Binomial(Complex n, Complex k)
    {
        if (n.Imaginary != 0 || k.Imaginary != 0 || k.Real != Math.Round(k.Real) || k.Real < 0)
        {
            return double.NaN;
        }

        // C(n, k) = C(n, n − k) and is 0 for k > n: \binom{2}{2000000000} costs nothing; beyond 10⁴ factors it is too large for a double.
        var kk = k.Real;
        if (n.Real == Math.Round(n.Real) && n.Real >= 0)
        {
            if (kk > n.Real)
            {
                return 0;
            }

            kk = Math.Min(kk, n.Real - kk);
        }

        if (kk > 10_000)
        {
            return double.NaN;
        }

        var result = 1.0;
        for (var j = 0; j < (int)kk; j++)
        {
            result = result * (n.Real - j) / (j + 1);
        }

        return result;
    }
}
