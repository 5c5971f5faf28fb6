using PrunerPipeline.Training.Objectives;

namespace PrunerPipeline.Training.Tests;

public class When_the_dpo_loss_is_computed
{
    [Fact]
    public void It_equals_the_hand_computed_value()
    {
        // β = 0.1; chosen: π_θ −2, π_ref −3; rejected: π_θ −5, π_ref −4.
        // margin = 0.1·((−2 + 3) − (−5 + 4)) = 0.2; loss = −log σ(0.2) = log(1 + e^−0.2) = 0.598138869…
        var objective = new DpoObjective();
        using var loss = objective.Loss(tensor(new[] { -2f }), tensor(new[] { -5f }), tensor(new[] { -3f }), tensor(new[] { -4f }));
        Assert.Equal(0.5981388693, loss.item<float>(), 5);
    }

    [Fact]
    public void The_batch_loss_is_the_mean_of_the_pairs_and_log2_at_the_reference()
    {
        var objective = new DpoObjective(beta: 0.5);
        // Pair 1 equals the reference (margin 0 → log 2); pair 2 margin 0.5·(1 − (−1)) = 1 → log(1 + e^−1).
        using var loss = objective.Loss(tensor(new[] { -3f, -2f }), tensor(new[] { -4f, -5f }), tensor(new[] { -3f, -3f }), tensor(new[] { -4f, -4f }));
        Assert.Equal((Math.Log(2) + Math.Log(1 + Math.Exp(-1))) / 2, loss.item<float>(), 5);
    }

    [Fact]
    public void Sequence_log_probs_sum_only_the_completion_tokens()
    {
        using var sums = DpoObjective.SequenceLogProbs(tensor(new[] { -1f, -2f, -9f }, [1, 3]), tensor(new[] { 1f, 1f, 0f }, [1, 3]));
        Assert.Equal(-3f, sums.item<float>(), 6);
    }

    [Fact]
    public void Beta_must_be_positive() =>
        Assert.Contains("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new DpoObjective(0)).Message);
}
