namespace PrunerPipeline.LongThought.Builtin;

/// <summary>A tokenised teacher example: the chat prompt (not learned) and the completion tokens (learned).</summary>
public sealed record TeacherExampleTokens(int[] Prompt, int[] Completion)
{
    public int Length => Prompt.Length + Completion.Length;
}
