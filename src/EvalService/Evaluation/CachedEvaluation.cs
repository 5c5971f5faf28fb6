using PrunerPipeline.EvalService.Metrics;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>What <c>evals/{key}/evaluation.json</c> holds: the request it answers, and every solution's outcome.</summary>
public sealed record CachedEvaluation(string ModelRef, string ModelFingerprint, string Dataset, int ProblemLimit, bool Brief, string Decoding, double WallSeconds, IReadOnlyList<ProblemOutcome> Outcomes);
