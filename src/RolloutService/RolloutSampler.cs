using System.Diagnostics;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Model;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// Pre-sampling (DESIGN.md §1.1): K solutions y ~ π_ref(·|x) for every problem of a shard, generated in batches with the
/// KV cache (continuously batched, BatchSize at a time), each recorded with its token ids and the reference log-probs
/// the trainer's ratio needs.
/// </summary>
public static class RolloutSampler
{
    /// <summary>Prompt + maxNewTokens must fit the model's positions; otherwise the run is bad input (not retried), named here.</summary>
    private static void CheckContextFits(int maxPositions, IReadOnlyList<RolloutPromptSet> problems, IReadOnlyList<int[]> promptIds, int maxNewTokens)
    {
        if (promptIds.Count == 0)
        {
            return;
        }
        var longest = Enumerable.Range(0, promptIds.Count).MaxBy(i => promptIds[i].Length);
        if (promptIds[longest].Length + maxNewTokens > maxPositions)
        {
            throw new ArgumentException(
                $"maxNewTokens {maxNewTokens} + the longest prompt ({promptIds[longest].Length} tokens, problem {problems[longest].ProblemId}) = " +
                $"{promptIds[longest].Length + maxNewTokens} exceeds the model's max_position_embeddings {maxPositions}; allowed: maxNewTokens at most {maxPositions - promptIds[longest].Length}");
        }
    }

    public static IReadOnlyList<RolloutSample> Sample(
        ReferenceModel reference,
        IReadOnlyList<RolloutPromptSet> problems,
        RolloutSamplingSettings settings,
        Action<RolloutProgress>? progress,
        CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.SamplesPerProblem, 1, nameof(settings.SamplesPerProblem));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.BatchSize, 1, nameof(settings.BatchSize));

        var tokenizer = reference.Tokenizer;
        var promptIds = problems.Select(p => tokenizer.Encode(p.Prompt).ToArray()).ToList();
        var stopIds = tokenizer.EosTokenIds.ToHashSet();
        CheckContextFits(reference.Model.Config.MaxPositionEmbeddings, problems, promptIds, settings.MaxNewTokens);

        // Every (problem, sample index) pair, problem-major, so a batch mostly holds one problem's equally long prompts.
        var jobs = Enumerable.Range(0, problems.Count)
            .SelectMany(p => Enumerable.Range(0, settings.SamplesPerProblem).Select(k => (Problem: p, SampleIndex: k)))
            .ToList();

        var stopwatch = Stopwatch.StartNew();
        long tokens = 0;
        var finished = 0;
        var perProblem = new int[problems.Count];
        var problemsDone = 0;
        // Every job of the shard goes through one continuously batched call: BatchSize sequences decode at once and
        // a finished one's slot takes the next job right away (no slot waits for the longest sample of a batch).
        var options = new SamplingOptions
        {
            MaxNewTokens = settings.MaxNewTokens,
            Temperature = settings.Temperature,
            TopP = settings.TopP,
            StopTokenIds = stopIds.ToArray(),
            Seed = settings.Seed,
            Concurrency = settings.BatchSize,
            // One seed per (problem, sample index): a resampled shard draws the same solutions again, whatever
            // the batch size or the shard the problem landed in.
            SequenceSeeds = jobs.Select(job => SequenceSeed(settings.Seed, problems[job.Problem].ProblemId, job.SampleIndex)).ToArray(),
        };
        void OnSequence(int index, GeneratedSequence sequence)
        {
            tokens += sequence.TokenIds.Length;
            finished++;
            if (++perProblem[jobs[index].Problem] == settings.SamplesPerProblem)
                problemsDone++;
            if (finished % settings.BatchSize == 0 || finished == jobs.Count)
                progress?.Invoke(new RolloutProgress(problemsDone, problems.Count, finished, jobs.Count, tokens, stopwatch.Elapsed));
        }
        var generated = Generator.Generate(reference.Model, jobs.Select(job => promptIds[job.Problem]).ToList(), options,
            cancellationToken: ct, onSequence: OnSequence);

        var samples = new List<RolloutSample>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            var (problem, sampleIndex) = jobs[i];
            var sequence = generated[i];
            var stopped = sequence.TokenIds.Length > 0 && stopIds.Contains(sequence.TokenIds[^1]);
            var textIds = stopped ? sequence.TokenIds[..^1] : sequence.TokenIds;
            samples.Add(new RolloutSample
            {
                ProblemId = problems[problem].ProblemId,
                SampleIndex = sampleIndex,
                Prompt = problems[problem].Prompt,
                LengthTarget = problems[problem].LengthTarget,
                Text = tokenizer.Decode(textIds),
                PromptTokenIds = promptIds[problem],
                TokenIds = sequence.TokenIds,
                RefLogProbs = sequence.LogProbs,
                Length = sequence.TokenIds.Length,
                FinishReason = stopped ? FinishReasons.Stop : FinishReasons.Length,
            });
        }

        return samples;
    }

    /// <summary>
    /// The samples with <see cref="RolloutSample.KlRefLogProbs"/>: log π_ref(y_t | x, y_&lt;t) of every completion token
    /// under <paramref name="klReference"/>, teacher-forced in batches of <paramref name="batchSize"/> (no gradients; the
    /// temperature-1 distribution, as <see cref="RolloutSample.RefLogProbs"/>). For an online run's KL penalty to the base model.
    /// </summary>
    public static IReadOnlyList<RolloutSample> RecordKlReference(CausalLM klReference, IReadOnlyList<RolloutSample> samples, int batchSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var recorded = new List<RolloutSample>(samples.Count);
        using var noGrad = TorchSharp.torch.no_grad();
        foreach (var chunk in samples.Chunk(batchSize))
        {
            ct.ThrowIfCancellationRequested();
            using var scope = TorchSharp.torch.NewDisposeScope();
            var (logProbs, _) = TeacherForcing.CompletionLogProbs(klReference.Module,
                chunk.Select(s => s.PromptTokenIds).ToArray(), chunk.Select(s => s.TokenIds).ToArray());
            var width = (int)logProbs.shape[1];
            var values = logProbs.cpu().data<float>().ToArray();
            for (var row = 0; row < chunk.Length; row++)
            {
                recorded.Add(chunk[row] with { KlRefLogProbs = values.AsSpan(row * width, chunk[row].TokenIds.Length).ToArray() });
            }
        }
        return recorded;
    }

    /// <summary>A stable seed (FNV-1a of the problem id, mixed with the run seed and the sample index); string hash codes change per process.</summary>
    public static long SequenceSeed(int runSeed, string problemId, int sampleIndex)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in problemId)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= (ulong)(uint)runSeed * 0x9E3779B97F4A7C15UL;
        hash ^= (ulong)(uint)sampleIndex * 0xC2B2AE3D27D4EB4FUL;
        return unchecked((long)hash);
    }
}
