using PrunerPipeline.RewardService;
using PrunerPipeline.RewardService.LengthRewards;

namespace PrunerPipeline.Services.Tests.Rewards;

public class When_a_rollout_shard_is_scored
{
    private const double Precision = 1e-12;

    private static readonly Dictionary<string, string> Gold = new()
    {
        ["hard"] = "72",
        ["easy"] = "\\frac{1}{2}",
    };

    [Fact]
    public void Each_sample_is_graded_and_carries_its_problems_baseline_and_reward()
    {
        var samples = new[]
        {
            // "hard": every sample wrong. Lengths 50, 150 → L̄_ref = 100, Ā_ref = 0.
            RolloutSamples.Create("hard", 0, "48 + 24 = 70\n#### 70", 50),
            RolloutSamples.Create("hard", 1, "Maybe 71. The answer is 71.", 150),
            // "easy": every sample right, written differently. Lengths 80, 120 → L̄_ref = 100, Ā_ref = 1.
            RolloutSamples.Create("easy", 1, "So it is $\\boxed{0.5}$.", 120),
            RolloutSamples.Create("easy", 0, "Half: \\boxed{\\dfrac12}", 80),
        };

        var (scored, summary) = RolloutShardScorer.Score(samples, Gold, new LengthHarmonizingGroupReward(2));

        // Ordered by problem id, then sample index.
        Assert.Equal(["easy#0", "easy#1", "hard#0", "hard#1"], scored.Select(s => $"{s.ProblemId}#{s.SampleIndex}"));
        Assert.Equal([true, true, false, false], scored.Select(s => s.Correct));
        Assert.Equal(["\\dfrac12", "0.5", "70", "71"], scored.Select(s => s.Extracted));
        Assert.All(scored.Where(s => s.ProblemId == "easy"), s => Assert.Equal((100.0, 1.0), (s.MeanRefLength, s.MeanRefAccuracy)));
        Assert.All(scored.Where(s => s.ProblemId == "hard"), s => Assert.Equal((100.0, 0.0), (s.MeanRefLength, s.MeanRefAccuracy)));
        Assert.Equal(0.25, scored[0].Reward, Precision);
        Assert.Equal(-1.0 / 6.0, scored[1].Reward, Precision);
        Assert.Equal(1.0, scored[2].Reward, Precision);
        Assert.Equal(-1.0 / 3.0, scored[3].Reward, Precision);

        // The sample's own fields travel unchanged.
        Assert.Equal(samples[3].TokenIds, scored[0].TokenIds);
        Assert.Equal(samples[3].RefLogProbs, scored[0].RefLogProbs);

        Assert.Equal(4, summary.Samples);
        Assert.Equal(0.5, summary.Accuracy, Precision);
        Assert.Equal(100, summary.MeanLength, Precision);
        Assert.Equal(0.1875, summary.RewardMean, Precision);              // (1 − 1/3 + 1/4 − 1/6) / 4
        Assert.Equal(0.5149669622628448, summary.RewardStd, 1e-9);        // population std of the four rewards
    }

    [Fact]
    public void L1_max_scores_each_problem_against_the_target_its_prompt_asked_for()
    {
        // "easy" was asked for 100 tokens, "hard"'s prompt had no target: the run's 500 applies. α = 0.001, δ = 0.5.
        var samples = new[]
        {
            RolloutSamples.Create("easy", 0, "\\boxed{\\frac12}", 80) with { LengthTarget = 100 },
            RolloutSamples.Create("easy", 1, "\\boxed{0.5}", 300) with { LengthTarget = 100 },
            RolloutSamples.Create("hard", 0, "\\boxed{72}", 400),
        };

        var (scored, _) = RolloutShardScorer.Score(samples, Gold, new L1MaxReward(0.001, 0.5, null), lengthTarget: 500);

        Assert.Equal(["easy#0", "easy#1", "hard#0"], scored.Select(s => $"{s.ProblemId}#{s.SampleIndex}"));
        Assert.Equal(0.5 + 0.001 * 20, scored[0].Reward, Precision);       // 20 tokens under its 100
        Assert.Equal(0.5 - 0.001 * 200, scored[1].Reward, Precision);      // 200 over
        Assert.Equal(0.5 + 0.001 * 100, scored[2].Reward, Precision);      // 100 under the run's 500
    }

    [Fact]
    public void A_scored_sample_keeps_every_field_of_its_rollout()
    {
        // The hand-written copy this replaced dropped LengthTarget (L1's per-prompt target) from the rewards shard.
        var rollout = RolloutSamples.Create("easy", 0, "\\boxed{\\frac12}", 80) with { LengthTarget = 100, KlRefLogProbs = [-0.5f] };

        var (scored, _) = RolloutShardScorer.Score([rollout], Gold, new LengthHarmonizingGroupReward(2));

        var asRollout = new RolloutSample
        {
            ProblemId = scored[0].ProblemId, SampleIndex = scored[0].SampleIndex, Prompt = scored[0].Prompt, Text = scored[0].Text,
            PromptTokenIds = scored[0].PromptTokenIds, TokenIds = scored[0].TokenIds, RefLogProbs = scored[0].RefLogProbs,
            KlRefLogProbs = scored[0].KlRefLogProbs, LengthTarget = scored[0].LengthTarget, Length = scored[0].Length,
            FinishReason = scored[0].FinishReason,
        };
        Assert.Equal(rollout, asRollout);
        Assert.True(scored[0].Correct);
    }

    [Fact]
    public void Samples_of_one_problem_with_different_targets_are_refused_naming_the_problem()
    {
        var samples = new[]
        {
            RolloutSamples.Create("easy", 0, "\\boxed{0.5}", 80) with { LengthTarget = 100 },
            RolloutSamples.Create("easy", 1, "\\boxed{0.5}", 90) with { LengthTarget = 120 },
        };

        var error = Assert.Throws<InvalidDataException>(() => RolloutShardScorer.Score(samples, Gold, new L1MaxReward(0.001, 0.5, null)));
        Assert.Contains("easy", error.Message);
        Assert.Contains("lengthTargets (100, 120)", error.Message);
    }

    [Fact]
    public void A_sample_of_a_problem_without_a_gold_answer_is_refused_by_name()
    {
        var samples = new[] { RolloutSamples.Create("unknown-problem", 0, "#### 1", 5) };

        var error = Assert.Throws<ArgumentException>(() => RolloutShardScorer.Score(samples, Gold, new LengthHarmonizingGroupReward(2)));
        Assert.Contains("unknown-problem", error.Message);
    }

    [Fact]
    public void With_another_runs_baseline_the_reward_uses_its_mean_length_and_accuracy_instead_of_the_shards_own()
    {
        // An iterated round scored against the original reference: the round's own samples (lengths 50 and 150, both
        // wrong) would give L̄ = 100, Ā = 0; the original's baseline says L̄ = 200, Ā = 0.5.
        var samples = new[]
        {
            RolloutSamples.Create("hard", 0, "48 + 24 = 70\n#### 70", 50),
            RolloutSamples.Create("hard", 1, "The answer is 72.", 150),
        };
        var baselines = new Dictionary<string, ReferenceBaseline> { ["hard"] = new(200, 0.5) };

        var (scored, _) = RolloutShardScorer.Score(samples, Gold, new LengthHarmonizingGroupReward(2), baselines: baselines);

        Assert.All(scored, s => Assert.Equal((200.0, 0.5), (s.MeanRefLength, s.MeanRefAccuracy)));
        Assert.Equal(200.0 / 50 - 1 + 2 * (0 - 0.5), scored[0].Reward, Precision);   // 2
        Assert.Equal(200.0 / 150 - 1 + 2 * (1 - 0.5), scored[1].Reward, Precision);  // 4/3
    }

    [Fact]
    public void A_problem_the_baseline_does_not_cover_is_refused_by_name()
    {
        var samples = new[] { RolloutSamples.Create("easy", 0, "\\boxed{1/2}", 5) };
        var baselines = new Dictionary<string, ReferenceBaseline> { ["hard"] = new(200, 0.5) };

        var error = Assert.Throws<ArgumentException>(() => RolloutShardScorer.Score(samples, Gold, new LengthHarmonizingGroupReward(2), baselines: baselines));
        Assert.Contains("No baseline for problem ids: easy", error.Message);
    }

    [Fact]
    public void A_group_reward_scores_each_problems_samples_together()
    {
        // Kimi k1.5 over each problem's samples. "hard": lengths 50 (wrong), 150 (right) → L_min 50, L_max 150:
        // λ = 0.5 − 0/100 = 0.5 for the first (wrong: min(0, 0.5) = 0 → 0), 0.5 − 1 = −0.5 for the second (right: 1 − 0.5).
        var samples = new[]
        {
            RolloutSamples.Create("hard", 0, "48 + 24 = 70\n#### 70", 50),
            RolloutSamples.Create("hard", 1, "The answer is 72.", 150),
            RolloutSamples.Create("easy", 0, "Half: \\boxed{\\dfrac12}", 80),
        };

        var (scored, _) = RolloutShardScorer.Score(samples, Gold, LengthRewardRegistry.Create("kimi", new LengthRewardOptions()));

        Assert.Equal(["easy#0", "hard#0", "hard#1"], scored.Select(s => $"{s.ProblemId}#{s.SampleIndex}"));
        Assert.Equal(1.0, scored[0].Reward, Precision);    // a group of one: λ = 0, right → 1
        Assert.Equal(0.0, scored[1].Reward, Precision);
        Assert.Equal(0.5, scored[2].Reward, Precision);
    }
}
