namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>One model on one evaluation set.</summary>
/// <param name="ModelRef">The reference as the run names it (<c>builtin</c>, a store prefix or a folder): part of the cache key.</param>
/// <param name="ModelFolder">Where <see cref="ModelRef"/> is on this machine.</param>
/// <param name="Brief">Ask with the Fast-solving instruction.</param>
/// <param name="LengthTarget">Ask for at most this many tokens (L1's length-conditioned prompt); null = no length instruction.</param>
public sealed record EvaluationRequest(string ModelRef, string ModelFolder, string Dataset, int ProblemLimit, bool Brief, EvaluationDecoding Decoding,
    int? LengthTarget = null);
