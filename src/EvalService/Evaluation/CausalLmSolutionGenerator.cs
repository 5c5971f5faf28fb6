using PrunerPipeline.Datasets.Prompts;
using PrunerPipeline.Model;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>
/// Batched decoding with the TorchSharp decoder of src/Model. Prompts are batched by similar length (less padding);
/// each prompt samples from its own seed, so a solution does not depend on the batch it landed in. Models are leased
/// from the process's <see cref="FrozenModelCache"/> (the reference is the very instance the rollouts sampled from when
/// both services share a process; a BF16 checkpoint stays BF16).
/// </summary>
public sealed class CausalLmSolutionGenerator(FrozenModelCache models) : ISolutionGenerator
{
    public IReadOnlyList<GeneratedSolution> Generate(string modelFolder, IReadOnlyList<SolutionPrompt> prompts, EvaluationDecoding decoding, Action<int>? progress, CancellationToken ct)
    {
        using var lease = models.Acquire(modelFolder);
        var model = lease.Model;
        var tokenizer = lease.Tokenizer;
        var stopIds = tokenizer.EosTokenIds.Concat(model.Config.EosTokenIds).Distinct().ToArray();
        var encoded = prompts.Select(p => tokenizer.Encode(ChatTemplate.Render(p.System, p.User)).ToArray()).ToArray();
        var order = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Length).ToArray();
        var solutions = new GeneratedSolution[encoded.Length];
        var batchSize = Math.Max(1, decoding.BatchSize);
        var done = 0;
        // All prompts in one continuously batched call, BatchSize at a time, shortest first (less prefill padding
        // for the torch engine's static batches); each prompt keeps its own seed.
        var options = new SamplingOptions
        {
            MaxNewTokens = decoding.MaxNewTokens,
            Temperature = Math.Max(0, decoding.Temperature),
            TopP = decoding.TopP is > 0 and <= 1 ? decoding.TopP : 1.0,
            StopTokenIds = stopIds,
            Seed = decoding.Seed,
            Concurrency = batchSize,
            SequenceSeeds = order.Select(i => (long)decoding.Seed * 1_000_003L + i).ToArray(),
        };
        void OnSequence(int index, GeneratedSequence sequence)
        {
            var tokens = sequence.FinishReason == GeneratedSequence.Stop ? sequence.TokenIds[..^1] : sequence.TokenIds;
            solutions[order[index]] = new GeneratedSolution(tokenizer.Decode(tokens), tokens.Length, sequence.FinishReason);
            if (++done % batchSize == 0 || done == order.Length)
                progress?.Invoke(done);
        }
        Generator.Generate(model, order.Select(i => encoded[i]).ToArray(), options, cancellationToken: ct, onSequence: OnSequence);
        return solutions;
    }
}
