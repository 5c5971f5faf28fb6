namespace PrunerPipeline.Services.Tests;

/// <summary>Hand-made rollout samples for reward tests, so they run without a model.</summary>
internal static class RolloutSamples
{
    public static RolloutSample Create(string problemId, int sampleIndex, string text, int length) => new()
    {
        ProblemId = problemId,
        SampleIndex = sampleIndex,
        Prompt = "<|im_start|>user\nquestion<|im_end|>\n<|im_start|>assistant\n",
        Text = text,
        PromptTokenIds = [1, 2, 3],
        TokenIds = Enumerable.Range(10, length).ToArray(),
        RefLogProbs = Enumerable.Repeat(-0.5f, length).ToArray(),
        Length = length,
        FinishReason = FinishReasons.Stop,
    };
}
