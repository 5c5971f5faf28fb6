namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>Configuration section <c>Eval</c>. The run decides the token limit and the evaluation sets; these decide how.</summary>
public sealed class EvalOptions
{
    public const string Section = "Eval";

    /// <summary>Prompts decoded together.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>1 = greedy decoding; more = that many samples per problem at <see cref="Temperature"/>.</summary>
    public int SamplesPerProblem { get; set; } = 1;

    public double Temperature { get; set; } = 0.7;

    public double TopP { get; set; } = 0.95;

    /// <summary>Evaluate intermediate checkpoints too, not only the final one.</summary>
    public bool EvaluateIntermediateCheckpoints { get; set; } = true;
}
