using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Objectives;

namespace PrunerPipeline.Training.Tests;

public class When_the_clipped_surrogate_is_differentiated
{
    private const double Epsilon = 0.2;

    // Ratios below, inside and above [0.8, 1.2]; the reference log-prob is 0 so log r = policy log-prob.
    private static readonly float[] Ratios = [0.5f, 0.9f, 1.0f, 1.1f, 1.5f];

    private static float[] Gradient(RatioGranularity granularity, float advantage, float[] ratios)
    {
        var objective = new PpoClipObjective(new PpoClipOptions { ClipEpsilon = Epsilon, Granularity = granularity, NormaliseAdvantagesPerBatch = false });
        using var logProbs = tensor(ratios.Select(r => MathF.Log(r)).ToArray(), [1, ratios.Length]).requires_grad_();
        using var reference = zeros(1, ratios.Length);
        using var mask = ones(1, ratios.Length);
        using var advantages = tensor(new[] { advantage });
        using var loss = objective.Loss(logProbs, reference, mask, advantages);
        loss.backward();
        return logProbs.grad!.data<float>().ToArray();
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-1f)]
    public void Token_ratio_gradient_is_zero_on_the_closed_side_and_unclipped_elsewhere(float advantage)
    {
        var gradient = Gradient(RatioGranularity.Token, advantage, Ratios);
        for (var t = 0; t < Ratios.Length; t++)
        {
            var r = Ratios[t];
            var closed = (advantage > 0 && r > 1 + Epsilon) || (advantage < 0 && r < 1 - Epsilon);
            // Unclipped surrogate −r·Â averaged over the 5 tokens: d/d log r = −r·Â / 5.
            var unclipped = -r * advantage / Ratios.Length;
            Assert.Equal(closed ? 0f : unclipped, gradient[t], 6);
        }
        // The open side outside the range is still trained: the pessimistic min keeps the unclipped branch there.
        var openOutside = advantage > 0 ? 0 : 4;
        Assert.NotEqual(0f, gradient[openOutside]);
    }

    [Theory]
    [InlineData(1f, 1.5f, true)]
    [InlineData(1f, 0.5f, false)]
    [InlineData(-1f, 0.5f, true)]
    [InlineData(-1f, 1.5f, false)]
    [InlineData(1f, 1.1f, false)]
    [InlineData(-1f, 0.9f, false)]
    public void Sequence_ratio_gradient_is_zero_on_the_closed_side_and_unclipped_elsewhere(float advantage, float sequenceRatio, bool closed)
    {
        // Every token carries the same log-ratio, so the sequence ratio exp(mean log r) equals it.
        var ratios = Enumerable.Repeat(sequenceRatio, 4).ToArray();
        var gradient = Gradient(RatioGranularity.Sequence, advantage, ratios);
        foreach (var g in gradient)
        {
            Assert.Equal(closed ? 0f : -sequenceRatio * advantage / ratios.Length, g, 6);
        }
    }

    [Fact]
    public void The_clip_fraction_counts_the_closed_side_only()
    {
        var objective = new PpoClipObjective(new PpoClipOptions { ClipEpsilon = Epsilon, NormaliseAdvantagesPerBatch = false });
        using var logProbs = tensor(Ratios.Select(r => MathF.Log(r)).ToArray(), [1, Ratios.Length]);
        using var terms = objective.Terms(logProbs, zeros(1, Ratios.Length), ones(1, Ratios.Length), tensor(new[] { 1f }));
        Assert.Equal(1, terms.Clipped);
        Assert.Equal(Ratios.Length, terms.RatioCount);
    }
}

public class When_sequences_of_different_lengths_are_aggregated
{
    // Two sequences with ratio 1 (policy = reference): every token's loss is −Â.
    private static double Loss(LossAggregation aggregation, bool normalise)
    {
        var objective = new PpoClipObjective(new PpoClipOptions { Aggregation = aggregation, NormaliseAdvantagesPerBatch = normalise });
        using var logProbs = full(2, 3, -1f);
        using var mask = tensor(new float[] { 1, 0, 0, 1, 1, 1 }, [2, 3]);
        using var loss = objective.Loss(logProbs, full(2, 3, -1f), mask, tensor(new[] { 1f, 2f }));
        return loss.item<float>();
    }

    [Fact]
    public void Sequence_mean_weighs_each_solution_equally() => Assert.Equal(-1.5, Loss(LossAggregation.SequenceMean, false), 5);

    [Fact]
    public void Token_mean_weighs_each_token_equally() => Assert.Equal(-(1 + 2 * 3) / 4.0, Loss(LossAggregation.TokenMean, false), 5);

    [Fact]
    public void Per_batch_normalisation_centres_and_scales_the_advantages()
    {
        // Â = [1, 2] → [−1, +1]; sequence mean of −Â = 0, token mean = (1 − 3) / 4.
        Assert.Equal(0, Loss(LossAggregation.SequenceMean, true), 5);
        Assert.Equal(-0.5, Loss(LossAggregation.TokenMean, true), 5);
        Assert.Equal(new[] { -1.0, 1.0 }, PpoClipObjective.NormaliseAdvantageValues([3, 7]));
    }

    [Fact]
    public void The_kl_term_is_zero_at_the_reference_and_positive_away_from_it()
    {
        var options = new PpoClipOptions { NormaliseAdvantagesPerBatch = false, KlCoefficient = 1 };
        var withKl = new PpoClipObjective(options);
        var without = new PpoClipObjective(options with { KlCoefficient = 0 });
        using var mask = ones(1, 2);
        using var advantage = tensor(new[] { 1f });
        using var atReference = withKl.Loss(full(1, 2, -1f), full(1, 2, -1f), mask, advantage);
        Assert.Equal(-1f, atReference.item<float>(), 5);
        using var moved = full(1, 2, -1.1f);
        using var penalised = withKl.Loss(moved, full(1, 2, -1f), mask, advantage);
        using var plain = without.Loss(moved, full(1, 2, -1f), mask, advantage);
        var r = Math.Exp(-0.1);
        Assert.Equal(r - 1 + 0.1, penalised.item<float>() - plain.item<float>(), 5);
    }

    [Fact]
    public void The_kl_to_a_recorded_reference_is_deepseekmath_k3_with_its_gradient()
    {
        // β = 0.5, advantage 0 (the clipped surrogate is 0), sequence-mean over the two real tokens; the third is padding.
        var objective = new PpoClipObjective(new PpoClipOptions
        {
            NormaliseAdvantagesPerBatch = false, KlCoefficient = 0.5, KlPenalty = KlPenalty.RecordedReference,
        });
        float[] policy = [-1.0f, -2.0f, -3.0f];
        float[] klReference = [-1.2f, -1.5f, 0f];
        using var logProbs = tensor(policy, [1, 3]).requires_grad_();
        using var sampling = tensor(policy, [1, 3]);
        using var reference = tensor(klReference, [1, 3]);
        using var mask = tensor(new[] { 1f, 1f, 0f }, [1, 3]);
        using var advantage = tensor(new[] { 0f });

        using var terms = objective.Terms(logProbs, sampling, mask, advantage, reference);
        using var loss = objective.Loss(logProbs, sampling, mask, advantage, reference);
        loss.backward();

        double[] d = [-1.2 - -1.0, -1.5 - -2.0];                              // log π_ref − log π_θ
        var k3 = d.Select(x => Math.Exp(x) - x - 1).ToArray();
        Assert.Equal(k3.Sum(), terms.KlSum, 5);
        Assert.Equal(0.5 * k3.Sum() / 2, loss.item<float>(), 5);
        var gradient = logProbs.grad!.data<float>().ToArray();
        Assert.Equal(0.5 * (1 - Math.Exp(d[0])) / 2, gradient[0], 5);
        Assert.Equal(0.5 * (1 - Math.Exp(d[1])) / 2, gradient[1], 5);
        Assert.Equal(0f, gradient[2]);
    }

    [Fact]
    public void A_kl_to_a_recorded_reference_without_its_log_probs_is_refused()
    {
        var objective = new PpoClipObjective(new PpoClipOptions { KlCoefficient = 0.1, KlPenalty = KlPenalty.RecordedReference });
        using var logProbs = full(1, 2, -1f);
        using var mask = ones(1, 2);
        using var advantage = tensor(new[] { 1f });

        var error = Assert.Throws<ArgumentException>(() => objective.Terms(logProbs, logProbs, mask, advantage));
        Assert.Contains("klRefLogProbs", error.Message);
    }

    [Fact]
    public void An_epsilon_outside_0_1_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PpoClipObjective(new PpoClipOptions { ClipEpsilon = 1.5 }));
        Assert.Contains("ClipEpsilon", error.Message);
    }
}
