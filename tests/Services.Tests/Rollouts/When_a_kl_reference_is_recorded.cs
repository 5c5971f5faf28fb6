using Microsoft.Extensions.Logging.Abstractions;
using PrunerPipeline.Model;
using PrunerPipeline.RolloutService;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>
/// An online run with a KL penalty: the rollout worker records the base model's log-probs of every sampled token
/// (<c>klRefLogProbs</c>) after sampling, by teacher forcing, or copies the sampling log-probs when the policy is the base.
/// </summary>
public sealed class When_a_kl_reference_is_recorded
{
    private static readonly RolloutPromptSet[] Problems =
    [
        new("p0", RolloutPromptSet.Render("What is 2 + 3?", "gsm8k")),
        new("p1", RolloutPromptSet.Render("Name a prime above 10.", "gsm8k")),
    ];

    [Fact]
    public void Teacher_forced_log_probs_of_the_same_weights_equal_the_sampling_log_probs()
    {
        // A second folder with the same weights: a different path, so the worker leases it and teacher-forces every
        // sample; at temperature 1 the result must be the sampler's own log-probs (both are log π(y_t | ·) at T = 1).
        var copy = Directory.CreateTempSubdirectory("pruner-kl-reference-").FullName;
        foreach (var file in Directory.GetFiles(TinyReferenceModel.Folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        using var models = new FrozenModelCache();
        var sampler = Sampler(models);

        var samples = sampler.Sample(TinyReferenceModel.Folder, Problems, Settings(copy), progress: null, CancellationToken.None);

        Assert.Equal(Problems.Length * 3, samples.Count);
        Assert.All(samples, s =>
        {
            Assert.NotNull(s.KlRefLogProbs);
            Assert.Equal(s.TokenIds.Length, s.KlRefLogProbs!.Length);
            for (var t = 0; t < s.TokenIds.Length; t++)
            {
                Assert.True(Math.Abs(s.KlRefLogProbs[t] - s.RefLogProbs[t]) < 2e-3,
                    $"{s.ProblemId}#{s.SampleIndex} token {t}: teacher-forced {s.KlRefLogProbs[t]} vs sampled {s.RefLogProbs[t]}");
            }
        });
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public void At_policy_version_zero_the_sampling_log_probs_are_the_reference()
    {
        using var models = new FrozenModelCache();
        var samples = Sampler(models).Sample(TinyReferenceModel.Folder, Problems, Settings(TinyReferenceModel.Folder), progress: null, CancellationToken.None);

        Assert.All(samples, s => Assert.Equal(s.RefLogProbs, s.KlRefLogProbs));
    }

    [Fact]
    public void Without_a_kl_reference_none_is_recorded()
    {
        using var models = new FrozenModelCache();
        var samples = Sampler(models).Sample(TinyReferenceModel.Folder, Problems, Settings(klReference: null), progress: null, CancellationToken.None);

        Assert.All(samples, s => Assert.Null(s.KlRefLogProbs));
    }

    private static CausalLmRolloutSampler Sampler(FrozenModelCache models) =>
        new(new ReferenceModelCache(models, new RolloutOptions(), NullLogger<ReferenceModelCache>.Instance));

    // Temperature 0.8: the KL reference is still taken at temperature 1, like the recorded sampling log-probs.
    private static RolloutSamplingSettings Settings(string? klReference) =>
        new(SamplesPerProblem: 3, MaxNewTokens: 8, Temperature: 0.8, TopP: 1.0, Seed: 11, BatchSize: 2, klReference);
}
