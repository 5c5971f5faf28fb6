using PrunerPipeline.Datasets.Prompts;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.Datasets.Tests;

public sealed class When_a_solution_prompt_is_built
{
    [Theory]
    [InlineData("synthetic")]
    [InlineData("synthetic-validation")]
    public void Both_synthetic_sets_use_the_built_in_tasks_format_without_a_system_prompt(string dataset)
    {
        // pruner tune evaluates on synthetic-validation: with the real models' system prompt the built-in model, which
        // never saw one, scored 1.5 % there against 70 % on the test split (session 6).
        var prompt = SolutionPrompts.For("Q: 2 + 3 = ?", dataset);
        var brief = SolutionPrompts.For("Q: 2 + 3 = ?", dataset, brief: true);

        Assert.Null(prompt.System);
        Assert.Equal("Q: 2 + 3 = ?", prompt.User);
        Assert.Equal(SyntheticTask.WithBriefInstruction("Q: 2 + 3 = ?"), brief.User);
    }

    [Theory]
    [InlineData("gsm8k")]
    [InlineData("math500")]
    public void A_real_dataset_gets_the_authors_system_prompt(string dataset)
    {
        var prompt = SolutionPrompts.For("What is 2 + 3?", dataset, brief: true);

        Assert.Equal(SolutionPrompts.SystemPrompt, prompt.System);
        Assert.Equal($"What is 2 + 3?\n\n{SolutionPrompts.ConciseInstruction}", prompt.User);
    }

    [Fact]
    public void A_length_target_asks_for_at_most_that_many_tokens_after_the_question_and_no_target_changes_nothing()
    {
        Assert.Equal("Q: 2 + 3 = ? Think for maximum 32 tokens.", SolutionPrompts.For("Q: 2 + 3 = ?", "synthetic", lengthTarget: 32).User);
        Assert.Equal("What is 2 + 3?\n\nThink for maximum 1500 tokens.", SolutionPrompts.For("What is 2 + 3?", "gsm8k", lengthTarget: 1500).User);
        Assert.Equal(SolutionPrompts.For("What is 2 + 3?", "gsm8k"), SolutionPrompts.For("What is 2 + 3?", "gsm8k", lengthTarget: null));
    }
}
