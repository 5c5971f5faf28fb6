using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Methods;

/// <summary>
/// One method, declared in one place: its key (the run's <c>method</c> and report.json's <c>methods</c> key), the
/// names people read, the stages it runs, and — when it trains — how it selects its samples and which recipe
/// (objective) it trains them with. The validator, the saga, the trainer, the evaluation report, <c>pruner demo</c> and
/// <c>pruner ablate</c> all learn of a method from <see cref="MethodRegistry"/>.
/// </summary>
public abstract class PruningMethodDefinition
{
    public abstract PruningMethod Key { get; }

    /// <summary>The name people read, e.g. "SFT".</summary>
    public abstract string Name { get; }

    public abstract MethodStages Stages { get; }

    public bool Samples => Stages.HasFlag(MethodStages.Sampling);

    public bool Trains => Stages.HasFlag(MethodStages.Training);

    /// <summary>Samples from its own policy between updates (<see cref="MethodStages.Online"/>).</summary>
    public bool Online => Stages.HasFlag(MethodStages.Online);

    /// <summary>Evaluate with the Fast-solving instruction added to the user turn (DESIGN.md §1.4).</summary>
    public virtual bool BriefPrompt => false;

    /// <summary>The report's label of a run of this method (e.g. "O1-Pruner (λ=2)").</summary>
    public virtual string Label(StartPruningRun run) => Name;

    /// <summary>The λ the report shows beside the method, when λ shapes what it trains on.</summary>
    public virtual double? ReportedLambda(StartPruningRun run) => null;

    /// <summary>
    /// The method's sample selection and objective over the run's scored samples, built with <paramref name="recipes"/>.
    /// Only called when <see cref="Trains"/>; <paramref name="samples"/> are every scored reference sample of the run,
    /// ordered by shard (for an <see cref="Online"/> method: the samples of one policy update).
    /// </summary>
    public virtual TRecipe CreateRecipe<TRecipe>(IReadOnlyList<TrainingSample> samples, StartPruningRun run, RecipeSettings settings,
        IRecipeBuilder<TRecipe> recipes) =>
        throw new ArgumentException($"Method {Key} ({Name}) trains nothing", nameof(run));
}
