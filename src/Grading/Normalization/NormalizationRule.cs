namespace PrunerPipeline.Grading.Normalization;

/// <summary>One rewrite of an answer string, named so a failing case points at the rule that misfired.</summary>
internal sealed record NormalizationRule(string Name, Func<string, string> Apply);
