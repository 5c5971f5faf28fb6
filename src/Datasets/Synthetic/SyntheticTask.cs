using System.Globalization;

namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>
/// The synthetic long-thought task of the built-in model: chained additions/subtractions (level = number of
/// operations) whose teacher traces re-check their work a random number of times (task v2: and whose first pass
/// slips more often the harder the problem, so a re-check pays on hard problems). The problems' own
/// <see cref="Problem.Solution"/> traces never slip: they are clean demonstrations. Deterministic from
/// <see cref="SyntheticTaskOptions.Seed"/>: problem <c>syn-{split}-{index:D5}</c> is always the same.
/// Splits never share a question: validation is generated first, test skips validation questions, and train
/// skips both.
/// </summary>
public sealed class SyntheticTask
{
    public const string Name = "synthetic";
    public const int DefaultSeed = 1729;
    public const int DefaultTrainCount = 4096;
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";

    /// <summary>The evaluation set name of the validation split (for tuning on held-out problems that are not the test split).</summary>
    public const string ValidationSet = "synthetic-validation";

    /// <summary>Is <paramref name="dataset"/> (a training or evaluation set name) the built-in task: its own prompt format, no system prompt.</summary>
    public static bool IsSynthetic(string? dataset) => dataset is Name or ValidationSet;

    /// <summary>The Fast-solving instruction of the built-in task, appended to the user turn.</summary>
    public const string BriefInstruction = "Be brief.";

    private const string IdPrefix = "syn-";
    private const int MaxAttempts = 10_000;

    private static readonly Lazy<SyntheticTask> DefaultTask = new(() => new SyntheticTask(new SyntheticTaskOptions()));

    private readonly Lazy<HeldOut> _heldOut;

    public SyntheticTask(SyntheticTaskOptions options)
    {
        options.Validate();
        Options = options;
        _heldOut = new Lazy<HeldOut>(BuildHeldOut);
    }

    /// <summary>The built-in model's task (default options).</summary>
    public static SyntheticTask Default => DefaultTask.Value;

    public SyntheticTaskOptions Options { get; }

    public static IReadOnlyList<string> Splits { get; } = [Train, Validation, Test];

    /// <summary>The user turn of the Fast-solving prompt: the question followed by <see cref="BriefInstruction"/>.</summary>
    public static string WithBriefInstruction(string question) => $"{question} {BriefInstruction}";

    public static string ProblemId(string split, int index) => $"{IdPrefix}{split}-{index.ToString("D5", CultureInfo.InvariantCulture)}";

    /// <summary>The first <paramref name="count"/> problems of a split (validation/test are capped at their size).</summary>
    public IReadOnlyList<Problem> Load(string split, int? count = null)
    {
        switch (split)
        {
            case Validation:
                return _heldOut.Value.Validation.Take(count ?? int.MaxValue).Select(c => ToProblem(Validation, c.Index, c.Chain)).ToList();
            case Test:
                return _heldOut.Value.Test.Take(count ?? int.MaxValue).Select(c => ToProblem(Test, c.Index, c.Chain)).ToList();
            case Train:
                var n = count ?? DefaultTrainCount;
                if (n < 0)
                    throw new ArgumentOutOfRangeException(nameof(count), "count must be >= 0");
                return Enumerable.Range(0, n).Select(index => ToProblem(Train, index, TrainChain(index))).ToList();
            default:
                throw UnknownSplit(split);
        }
    }

    /// <summary>The problem with this id, or null when the id is not a problem of this task.</summary>
    public Problem? Find(string id)
    {
        if (!TryParseId(id, out var split, out var index))
            return null;
        return split switch
        {
            Train => ToProblem(Train, index, TrainChain(index)),
            Validation when index < _heldOut.Value.Validation.Count => ToProblem(Validation, index, _heldOut.Value.Validation[index].Chain),
            Test when index < _heldOut.Value.Test.Count => ToProblem(Test, index, _heldOut.Value.Test[index].Chain),
            _ => null,
        };
    }

    /// <summary>
    /// A teacher example for training problem <paramref name="index"/>. Each <paramref name="variant"/> draws its own
    /// re-check count, detours and whether the prompt carries <see cref="BriefInstruction"/>, so several epochs over
    /// the same problems still show that the number of re-checks is arbitrary. In task v2 it also draws whether the
    /// first pass slips (<see cref="SyntheticTaskOptions.SlipRate"/>); a slipped trace with no re-check boxes a wrong answer.
    /// </summary>
    public SyntheticTrainingExample TrainingExample(int index, int variant = 0)
    {
        var chain = TrainChain(index);
        var problem = ToProblem(Train, index, chain);
        var random = SplitMix64.For(Options.Seed, "example", index, variant);
        var brief = random.NextDouble() < Options.BriefFraction;
        var rechecks = random.Next(0, brief ? Options.MaxBriefRechecks : Options.MaxRechecks);
        // v2's slips draw from their own stream, so v1's traces (and every question) stay exactly as they were.
        var slipRandom = SplitMix64.For(Options.Seed, "slip", index, variant);
        var slip = slipRandom.NextDouble() < Options.SlipRate(chain.Level) ? TeacherTrace.DrawSlip(chain, Options.MaxValue, ref slipRandom) : null;
        var trace = TeacherTrace.Write(chain, rechecks, Options.DetourProbability, ref random, slip);
        var userTurn = brief ? WithBriefInstruction(problem.Question) : problem.Question;
        return new SyntheticTrainingExample(problem, userTurn, trace, brief, rechecks, slip is not null);
    }

    private Problem ToProblem(string split, int index, ArithmeticChain chain)
    {
        var random = SplitMix64.For(Options.Seed, "trace-" + split, index);
        var rechecks = random.Next(0, Options.MaxRechecks);
        var trace = TeacherTrace.Write(chain, rechecks, Options.DetourProbability, ref random);
        return new Problem(ProblemId(split, index), chain.Question, chain.Answer.ToString(CultureInfo.InvariantCulture), trace, Name, chain.Level, null);
    }

    private ArithmeticChain Draw(string split, int index, int attempt)
    {
        var random = SplitMix64.For(Options.Seed, split, index, attempt);
        var level = random.Next(Options.MinLevel, Options.MaxLevel);
        return ArithmeticChain.Generate(ref random, level, Options);
    }

    private ArithmeticChain TrainChain(int index)
    {
        var heldOut = _heldOut.Value.Questions;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var chain = Draw(Train, index, attempt);
            if (!heldOut.Contains(chain.Question))
                return chain;
        }
        throw new InvalidOperationException("The synthetic task's options leave too few questions outside the held-out splits");
    }

    private HeldOut BuildHeldOut()
    {
        var questions = new HashSet<string>(StringComparer.Ordinal);
        var validation = Generate(Validation, Options.ValidationSize);
        var test = Generate(Test, Options.TestSize);
        return new HeldOut(validation, test, questions);

        List<(int Index, ArithmeticChain Chain)> Generate(string split, int size)
        {
            var list = new List<(int, ArithmeticChain)>(size);
            for (var index = 0; index < size; index++)
            {
                var attempt = 0;
                ArithmeticChain chain;
                do
                {
                    if (attempt >= MaxAttempts)
                        throw new InvalidOperationException($"The synthetic task's options have too few distinct questions for a {split} split of {size}");
                    chain = Draw(split, index, attempt++);
                }
                while (!questions.Add(chain.Question));
                list.Add((index, chain));
            }
            return list;
        }
    }

    private static bool TryParseId(string id, out string split, out int index)
    {
        split = "";
        index = -1;
        if (!id.StartsWith(IdPrefix, StringComparison.Ordinal))
            return false;
        var rest = id[IdPrefix.Length..];
        var dash = rest.LastIndexOf('-');
        if (dash <= 0)
            return false;
        split = rest[..dash];
        var digits = rest[(dash + 1)..];
        return Splits.Contains(split)
            && digits.Length >= 5 && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && ProblemId(split, index) == id;
    }

    internal static ArgumentException UnknownSplit(string split) =>
        new($"Unknown split '{split}' of dataset '{Name}'; allowed: {string.Join(", ", Splits)}", nameof(split));

    private sealed record HeldOut(
        IReadOnlyList<(int Index, ArithmeticChain Chain)> Validation,
        IReadOnlyList<(int Index, ArithmeticChain Chain)> Test,
        HashSet<string> Questions);
}
