using PrunerPipeline.Model;

namespace PrunerPipeline.RolloutService;

/// <summary>The prompt a reference model is sampled with (docs/ARCHITECTURE.md "Prompts").</summary>
public static class RolloutPrompt
{
    /// <summary>The system prompt of the authors' released code, for real (Hugging Face) models.</summary>
    public const string ReasoningSystemPrompt =
        "You are a helpful assistant. You should think step-by-step and put your final answer within \\boxed{}.";

    /// <summary>ChatML prompt for a question; the built-in model was trained without a system turn and gets none.</summary>
    public static string Render(string question, bool isBuiltinModel) =>
        ChatTemplate.Render(isBuiltinModel ? null : ReasoningSystemPrompt, question, addGenerationPrompt: true);
}
