namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>Greedy (or sampled) batched decoding with the TorchSharp decoder of src/Model.</summary>
public sealed class CausalLmSolutionGenerator : ISolutionGenerator
{
    public IReadOnlyList<GeneratedSolution> Generate(string modelFolder, IReadOnlyList<SolutionPrompt> prompts, EvaluationDecoding decoding, Action<int>? progress, CancellationToken ct) =>
        throw new NotSupportedException("src/Model (CausalLM, Generator) has not landed on this branch yet");
}
