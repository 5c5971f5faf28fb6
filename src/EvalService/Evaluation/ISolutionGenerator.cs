using PrunerPipeline.Datasets.Prompts;
namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>
/// Writes solutions with a model in a local Hugging Face folder. The real one runs TorchSharp
/// (<see cref="CausalLmSolutionGenerator"/>); tests substitute a scripted one to exercise the service without a model.
/// </summary>
public interface ISolutionGenerator
{
    /// <param name="progress">Called with the number of prompts finished so far.</param>
    IReadOnlyList<GeneratedSolution> Generate(string modelFolder, IReadOnlyList<SolutionPrompt> prompts, EvaluationDecoding decoding, Action<int>? progress, CancellationToken ct);
}
