using PrunerPipeline.Model.Modules;
using static TorchSharp.torch;

namespace PrunerPipeline.Model;

/// <summary>Log-probabilities of given completions after given prompts, in one batched, differentiable forward pass.</summary>
public static class TeacherForcing
{
    /// <summary>
    /// log π(y_t | x, y_&lt;t) for every completion token, left-aligned: LogProbs (B, T) and Mask (B, T) float with 1 on
    /// real tokens, T the longest completion. Padded entries of LogProbs are 0. Gradients flow when enabled.
    /// </summary>
    public static (Tensor LogProbs, Tensor Mask) CompletionLogProbs(Qwen2ForCausalLM module, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions)
    {
        if (prompts.Count != completions.Count)
            throw new ArgumentException($"{prompts.Count} prompts but {completions.Count} completions", nameof(completions));
        if (prompts.Count == 0)
            throw new ArgumentException("no sequences", nameof(prompts));
        for (var i = 0; i < prompts.Count; i++)
        {
            if (prompts[i].Length == 0)
                throw new ArgumentException($"prompts[{i}] is empty: the first completion token needs a prompt token before it", nameof(prompts));
        }

        using var scope = NewDisposeScope();
        var device = module.parameters().First().device;
        var batch = prompts.Count;
        var length = Enumerable.Range(0, batch).Max(b => prompts[b].Length + completions[b].Length);
        var completionLength = Math.Max(1, completions.Max(c => c.Length));

        var ids = new long[batch * length];
        var gatherAt = new long[batch * completionLength];
        var targets = new long[batch * completionLength];
        var maskValues = new float[batch * completionLength];
        for (var b = 0; b < batch; b++)
        {
            var prompt = prompts[b];
            var completion = completions[b];
            for (var j = 0; j < prompt.Length; j++)
                ids[b * length + j] = prompt[j];
            for (var j = 0; j < completion.Length; j++)
                ids[b * length + prompt.Length + j] = completion[j];
            for (var t = 0; t < completionLength; t++)
            {
                var real = t < completion.Length;
                gatherAt[b * completionLength + t] = Math.Min(prompt.Length - 1 + t, length - 1);
                targets[b * completionLength + t] = real ? completion[t] : 0;
                maskValues[b * completionLength + t] = real ? 1f : 0f;
            }
        }

        // Right padding needs no key mask: under the causal mask no real position ever sees a later pad.
        var input = tensor(ids, device: device).view(batch, length);
        var positions = arange(length, ScalarType.Int64, device).unsqueeze(0).expand(batch, length);
        var valid = ones([batch, length], ScalarType.Bool, device);
        var hidden = module.Decoder.forward(input, positions, AttentionMask.Causal(valid, 0, length), null);
        var index = tensor(gatherAt, device: device).view(batch, completionLength, 1).expand(batch, completionLength, hidden.shape[2]);
        var selected = hidden.gather(1, index).view(batch * completionLength, hidden.shape[2]);
        var picked = module.TargetLogProbs(selected, tensor(targets, device: device)).view(batch, completionLength);
        var mask = tensor(maskValues, device: device).view(batch, completionLength);
        return ((picked * mask).MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }
}
