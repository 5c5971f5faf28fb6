using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.Datasets.Prompts;

/// <summary>
/// The one prompt rule for sampling and evaluation (docs/ARCHITECTURE.md, "Prompts"): the task decides. The synthetic
/// task is asked with the bare question (the built-in model was trained on it without a system turn); real datasets get
/// the system prompt of the authors' released code. The Fast-solving baseline adds the task's brief instruction to the
/// user turn.
/// </summary>
public static class SolutionPrompts
{
    /// <summary>The authors' system prompt for real models (DESIGN.md §1).</summary>
    public const string SystemPrompt = "You are a helpful assistant. You should think step-by-step and put your final answer within \\boxed{}.";

    /// <summary>The Fast-solving prompt for real models (the paper instructs the model to solve the problem quickly).</summary>
    public const string ConciseInstruction = "Solve this problem as quickly as possible: be concise and skip unnecessary checks.";

    /// <summary>L1-Max's length instruction (arXiv 2503.04697), after the question: "Think for maximum 32 tokens."</summary>
    public static string LengthTargetInstruction(int tokens) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Think for maximum {tokens} tokens.");

    public static SolutionPrompt For(Problem problem, string dataset, bool brief = false, int? lengthTarget = null) => For(problem.Question, dataset, brief, lengthTarget);

    /// <remarks>Both synthetic sets (the test split "synthetic" and the tuning split "synthetic-validation") use the built-in task's format.</remarks>
    /// <param name="lengthTarget">Ask for at most this many tokens (L1's length-conditioned prompt); null = no length instruction.</param>
    public static SolutionPrompt For(string question, string dataset, bool brief = false, int? lengthTarget = null)
    {
        var synthetic = SyntheticTask.IsSynthetic(dataset);
        if (lengthTarget is { } tokens)
        {
            question = $"{question}{(synthetic ? " " : "\n\n")}{LengthTargetInstruction(tokens)}";
        }
        return synthetic
            ? new SolutionPrompt(null, brief ? SyntheticTask.WithBriefInstruction(question) : question)
            : new SolutionPrompt(SystemPrompt, brief ? $"{question}\n\n{ConciseInstruction}" : question);
    }
}
