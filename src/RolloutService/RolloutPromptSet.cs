using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Prompts;
using PrunerPipeline.Model;

namespace PrunerPipeline.RolloutService;

/// <summary>One problem of a shard with its rendered prompt.</summary>
public sealed record RolloutPromptSet(string ProblemId, string Prompt)
{
    /// <summary>The ChatML prompt a reference model is sampled with: <see cref="SolutionPrompts"/>' rule, the same one evaluation asks with.</summary>
    public static string Render(Problem problem, string dataset) => Render(problem.Question, dataset);

    public static string Render(string question, string dataset)
    {
        var prompt = SolutionPrompts.For(question, dataset);
        return ChatTemplate.Render(prompt.System, prompt.User, addGenerationPrompt: true);
    }
}
