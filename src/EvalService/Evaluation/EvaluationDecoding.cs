using System.Globalization;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>How evaluation decodes: greedy (temperature 0, one solution per problem) unless configured otherwise.</summary>
public sealed record EvaluationDecoding(int MaxNewTokens, double Temperature, double TopP, int SamplesPerProblem, int BatchSize, int Seed)
{
    public bool IsGreedy => Temperature <= 0;

    /// <summary>Batch size is left out: it changes speed, not the solutions.</summary>
    public string Describe() => IsGreedy
        ? string.Create(CultureInfo.InvariantCulture, $"greedy, max {MaxNewTokens} new tokens")
        : string.Create(CultureInfo.InvariantCulture, $"{SamplesPerProblem} samples per problem, temperature {Temperature}, top-p {TopP}, seed {Seed}, max {MaxNewTokens} new tokens");
}
