using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Objectives;

/// <summary>
/// The SFT baseline's loss: negative log-likelihood of the completion tokens (the prompt is not trained on),
/// averaged over every completion token of the step, as LLaMA-Factory's SFT stage does.
/// </summary>
public static class SftObjective
{
    /// <summary>(B) Σ_t −log π_θ(y_t|·) per sequence; divide the step's total by its token count.</summary>
    public static Tensor NegativeLogLikelihoodSum(Tensor tokenLogProbs, Tensor mask) =>
        -(tokenLogProbs * mask.to_type(tokenLogProbs.dtype)).sum(1);
}
