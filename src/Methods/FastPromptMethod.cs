using PrunerPipeline.Contracts;

namespace PrunerPipeline.Training.Methods;

/// <summary>
/// The Fast-solving prompt baseline (DESIGN.md §1.4): no sampling, no training; the base model itself is evaluated
/// with the task's brief instruction added to the user turn.
/// </summary>
public sealed class FastPromptMethod : PruningMethodDefinition
{
    public override PruningMethod Key => PruningMethod.FastPrompt;

    public override string Name => "Fast-solving prompt";

    public override MethodStages Stages => MethodStages.PromptOnly;

    public override bool BriefPrompt => true;
}
