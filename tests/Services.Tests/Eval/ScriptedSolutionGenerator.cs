using PrunerPipeline.Datasets.Prompts;
using System.Collections.Concurrent;
using PrunerPipeline.Datasets;
using PrunerPipeline.EvalService.Evaluation;

namespace PrunerPipeline.Services.Tests.Eval;

/// <summary>
/// A model stand-in with known behaviour, so the service's arithmetic can be checked exactly: a model folder named
/// "long" writes 100-token solutions and misses every 4th problem; any other folder writes 40-token solutions,
/// 20 when the prompt carries the brief instruction, n when it asks for at most n tokens (L1's instruction), and answers
/// everything right.
/// </summary>
internal sealed class ScriptedSolutionGenerator(IReadOnlyList<Problem> problems) : ISolutionGenerator
{
    private readonly Dictionary<string, (int Index, string Answer)> answers =
        problems.Select((p, i) => (p, i)).ToDictionary(x => x.p.Question, x => (x.i, x.p.Answer));

    public ConcurrentBag<(string Folder, int Prompts)> Calls { get; } = [];

    public IReadOnlyList<GeneratedSolution> Generate(string modelFolder, IReadOnlyList<SolutionPrompt> prompts, EvaluationDecoding decoding, Action<int>? progress, CancellationToken ct)
    {
        Calls.Add((modelFolder, prompts.Count));
        var isLong = Path.GetFileName(modelFolder.TrimEnd('/')) == "long";
        var solutions = new List<GeneratedSolution>();
        foreach (var prompt in prompts)
        {
            var brief = prompt.User.EndsWith(Datasets.Synthetic.SyntheticTask.BriefInstruction, StringComparison.Ordinal);
            var question = brief ? prompt.User[..^(Datasets.Synthetic.SyntheticTask.BriefInstruction.Length + 1)] : prompt.User;
            var target = System.Text.RegularExpressions.Regex.Match(question, @"^(.*) Think for maximum (\d+) tokens\.$", System.Text.RegularExpressions.RegexOptions.Singleline);
            if (target.Success)
            {
                question = target.Groups[1].Value;
            }
            var (index, answer) = answers[question];
            var wrong = isLong && index % 4 == 0;
            var length = isLong ? 100 : brief ? 20 : target.Success ? int.Parse(target.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 40;
            solutions.Add(new GeneratedSolution($"<think>\n...\n</think>\n\\boxed{{{(wrong ? "-1" : answer)}}}", length, "stop"));
            progress?.Invoke(solutions.Count);
        }
        return solutions;
    }
}
