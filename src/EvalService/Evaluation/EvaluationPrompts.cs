using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>
/// The prompts evaluation asks with (docs/ARCHITECTURE.md, "Prompts"): the built-in task gets the bare question, real
/// data DESIGN.md's system prompt; the Fast-solving baseline adds the brief instruction to the user turn.
/// </summary>
public static class EvaluationPrompts
{
    public const string SystemPrompt = "You are a helpful assistant. You should think step-by-step and put your final answer within \\boxed{}.";

    /// <summary>The Fast-solving prompt for real models (the paper instructs the model to solve the problem quickly).</summary>
    public const string ConciseInstruction = "Solve this problem as quickly as possible: be concise and skip unnecessary checks.";

    public static SolutionPrompt For(Problem problem, string dataset, bool brief)
    {
        if (dataset == SyntheticTask.Name)
        {
            return new SolutionPrompt(null, brief ? SyntheticTask.WithBriefInstruction(problem.Question) : problem.Question);
        }
        return new SolutionPrompt(SystemPrompt, brief ? $"{problem.Question}\n\n{ConciseInstruction}" : problem.Question);
    }
}
