using PrunerPipeline.Training.Objectives;

namespace PrunerPipeline.Training.Methods;

/// <summary>
/// The finer objective settings a run does not carry (configuration section <c>Trainer</c> of the trainer service):
/// reward clipping, loss aggregation, KL and entropy terms, DPO's β. A method's recipe reads them with the run's own fields.
/// </summary>
public class RecipeSettings
{
    /// <summary>Clip the raw reward to [RewardClipMin, RewardClipMax] before it becomes the advantage (the authors' code: −2, 4); null = no clip. Whether it is then standardised is the run's <c>advantage</c>.</summary>
    public double? RewardClipMin { get; set; } = -2;

    public double? RewardClipMax { get; set; } = 4;

    public LossAggregation Aggregation { get; set; } = LossAggregation.SequenceMean;

    public double KlCoefficient { get; set; }

    public double EntropyCoefficient { get; set; }

    public double DpoBeta { get; set; } = 0.1;
}
