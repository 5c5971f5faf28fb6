using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Objectives;

/// <summary>
/// Direct Preference Optimization (Rafailov et al. 2023, eq. 7), the DPO baseline of DESIGN.md §1.4:
/// <code>L = −log σ( β·[(log π_θ(y_w) − log π_ref(y_w)) − (log π_θ(y_l) − log π_ref(y_l))] )</code>
/// with sequence log-probs summed over completion tokens and π_ref taken from the log-probs recorded at sampling
/// time (no second model in memory).
/// </summary>
public sealed class DpoObjective
{
    public DpoObjective(double beta = 0.1)
    {
        if (!(beta > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "DPO beta must be > 0");
        }
        Beta = beta;
    }

    public double Beta { get; }

    /// <summary>(B) per-pair losses and implicit rewards β·(log π_θ − log π_ref) of chosen and rejected.</summary>
    public (Tensor Losses, Tensor ChosenRewards, Tensor RejectedRewards) Terms(
        Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected)
    {
        using var scope = NewDisposeScope();
        var chosenRewards = Beta * (policyChosen - referenceChosen.to_type(policyChosen.dtype));
        var rejectedRewards = Beta * (policyRejected - referenceRejected.to_type(policyRejected.dtype));
        var losses = -nn.functional.logsigmoid(chosenRewards - rejectedRewards);
        return (losses.MoveToOuterDisposeScope(), chosenRewards.detach().MoveToOuterDisposeScope(), rejectedRewards.detach().MoveToOuterDisposeScope());
    }

    /// <summary>The mean loss over the pairs.</summary>
    public Tensor Loss(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected)
    {
        var (losses, chosen, rejected) = Terms(policyChosen, policyRejected, referenceChosen, referenceRejected);
        using (chosen)
        using (rejected)
        using (losses)
        {
            return losses.mean();
        }
    }

    /// <summary>(B) Σ_t log p(y_t|·) over completion tokens.</summary>
    public static Tensor SequenceLogProbs(Tensor tokenLogProbs, Tensor mask) => (tokenLogProbs * mask.to_type(tokenLogProbs.dtype)).sum(1);
}
