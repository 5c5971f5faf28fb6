using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Prompts;
using PrunerPipeline.Model;

namespace PrunerPipeline.RolloutService;

/// <summary>One problem of a shard with its rendered prompt, and the target length that prompt asks for (L1), if any.</summary>
public sealed record RolloutPromptSet(string ProblemId, string Prompt, int? LengthTarget = null)
{
    /// <summary>The ChatML prompt a reference model is sampled with: <see cref="SolutionPrompts"/>' rule, the same one evaluation asks with.</summary>
    public static string Render(Problem problem, string dataset, int? lengthTarget = null) => Render(problem.Question, dataset, lengthTarget);

    public static string Render(string question, string dataset, int? lengthTarget = null)
    {
        var prompt = SolutionPrompts.For(question, dataset, lengthTarget: lengthTarget);
        return ChatTemplate.Render(prompt.System, prompt.User, addGenerationPrompt: true);
    }
}
