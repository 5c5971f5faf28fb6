using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.LongThought.Builtin;

/// <summary>
/// Next-token training batch: inputs are prompt+completion minus the last token, targets are the same shifted by
/// one, with <see cref="IgnoreIndex"/> on prompt positions and on right padding, so only completion tokens are learned.
/// Right padding needs no attention mask: attention is causal, so padding never influences real positions.
/// </summary>
public static class TeacherBatch
{
    public const long IgnoreIndex = -100;

    /// <returns>(inputs (B, T), targets (B, T), learned token count)</returns>
    public static (Tensor Inputs, Tensor Targets, long LearnedTokens) Build(IReadOnlyList<TeacherExampleTokens> examples, int padTokenId)
    {
        var width = examples.Max(e => e.Length) - 1;
        var inputs = new long[examples.Count * width];
        var targets = new long[examples.Count * width];
        Array.Fill(inputs, padTokenId);
        Array.Fill(targets, IgnoreIndex);
        long learned = 0;
        for (var b = 0; b < examples.Count; b++)
        {
            var tokens = examples[b].Prompt.Concat(examples[b].Completion).ToArray();
            var row = b * width;
            for (var t = 0; t < tokens.Length - 1; t++)
            {
                inputs[row + t] = tokens[t];
                // position t predicts token t+1; learn it only when that token belongs to the completion
                if (t + 1 >= examples[b].Prompt.Length)
                {
                    targets[row + t] = tokens[t + 1];
                    learned++;
                }
            }
        }
        return (tensor(inputs, [examples.Count, width]), tensor(targets, [examples.Count, width]), learned);
    }
}
