using System.Collections.Concurrent;
using PrunerPipeline.RolloutService;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>
/// A reference-model stand-in: every sample's length (1..MaxNewTokens) and tokens follow from its sequence seed, so
/// the service's bookkeeping can be checked without TorchSharp. Records every call; throws for problems in
/// <see cref="FailingProblems"/>, like a sampler that runs out of memory mid-shard.
/// </summary>
internal sealed class ScriptedRolloutSampler : IRolloutSampler
{
    public ConcurrentQueue<(string Folder, IReadOnlyList<RolloutPromptSet> Problems, RolloutSamplingSettings Settings)> Calls { get; } = new();

    public HashSet<string> FailingProblems { get; } = [];

    public IReadOnlyList<RolloutSample> Sample(
        string modelFolder,
        IReadOnlyList<RolloutPromptSet> problems,
        RolloutSamplingSettings settings,
        Action<RolloutProgress>? progress,
        CancellationToken ct)
    {
        Calls.Enqueue((modelFolder, problems, settings));
        var samples = new List<RolloutSample>();
        for (var p = 0; p < problems.Count; p++)
        {
            if (FailingProblems.Contains(problems[p].ProblemId))
            {
                throw new InvalidOperationException($"scripted sampler fails on {problems[p].ProblemId}");
            }

            for (var k = 0; k < settings.SamplesPerProblem; k++)
            {
                var seed = RolloutSampler.SequenceSeed(settings.Seed, problems[p].ProblemId, k);
                var length = 1 + (int)((ulong)seed % (ulong)settings.MaxNewTokens);
                samples.Add(new RolloutSample
                {
                    ProblemId = problems[p].ProblemId,
                    SampleIndex = k,
                    Prompt = problems[p].Prompt,
                    LengthTarget = problems[p].LengthTarget,
                    Text = $"\\boxed{{{seed % 100}}}",
                    PromptTokenIds = [1, 2, 3],
                    TokenIds = Enumerable.Range(0, length).Select(i => (int)((ulong)seed % 1000) + i).ToArray(),
                    RefLogProbs = Enumerable.Repeat(-1.25f, length).ToArray(),
                    KlRefLogProbs = settings.KlReferenceFolder is null ? null : Enumerable.Repeat(-1.5f, length).ToArray(),
                    Length = length,
                    FinishReason = length == settings.MaxNewTokens ? FinishReasons.Length : FinishReasons.Stop,
                });
            }

            progress?.Invoke(new RolloutProgress(p + 1, problems.Count, samples.Count, problems.Count * settings.SamplesPerProblem, samples.Sum(s => (long)s.Length), TimeSpan.FromSeconds(p + 1)));
        }

        return samples;
    }
}
