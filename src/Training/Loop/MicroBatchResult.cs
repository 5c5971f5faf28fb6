using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>One micro-batch's loss (already scaled to its share of the step) and what it adds to the step's metrics.</summary>
/// <param name="Loss">Scalar, differentiable; the sum over a step's micro-batches is the step loss.</param>
/// <param name="Clipped">PPO ratios on the closed side of the clip (0 for SFT/DPO).</param>
/// <param name="Ratios">PPO ratios counted (0 for SFT/DPO).</param>
/// <param name="KlSum">Σ over tokens of the k3 estimate of the PPO penalty's KL (to the sampling policy, or to the recorded base model), for monitoring.</param>
/// <param name="PreferredCount">DPO pairs whose chosen implicit reward beats the rejected one.</param>
public sealed record MicroBatchResult(Tensor Loss, long Clipped, long Ratios, double KlSum, int PreferredCount);
