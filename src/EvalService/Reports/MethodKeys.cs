using PrunerPipeline.Contracts;

namespace PrunerPipeline.EvalService.Reports;

/// <summary>The stable keys of <c>report.json</c>'s <c>methods</c> object, and the names people read.</summary>
public static class MethodKeys
{
    public static string Of(PruningMethod method) => method switch
    {
        PruningMethod.O1Pruner => "o1pruner",
        PruningMethod.Sft => "sft",
        PruningMethod.Dpo => "dpo",
        PruningMethod.FastPrompt => "fastprompt",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown pruning method"),
    };

    public static string DisplayName(PruningMethod method) => method switch
    {
        PruningMethod.O1Pruner => "O1-Pruner",
        PruningMethod.Sft => "SFT",
        PruningMethod.Dpo => "DPO",
        PruningMethod.FastPrompt => "Fast-solving prompt",
        _ => method.ToString(),
    };
}
