using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Datasets;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Model.Memory;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// Samples one shard: K solutions per problem from the reference model, written atomically to
/// <c>samples/{sampleSetId}/rollouts/shard-{i:D4}.jsonl</c>, then announced with <see cref="RolloutsGenerated"/>.
/// A redelivered shard whose blob is already complete is re-announced without sampling again. A shard that can never
/// be sampled (unknown problem ids) throws an exception naming them; MassTransit then publishes
/// <c>Fault&lt;GenerateRollouts&gt;</c> to the run saga, and other shards are unaffected.
/// </summary>
public sealed class GenerateRolloutsConsumer(
    IArtifactStore store,
    ModelLocator models,
    IRolloutSampler sampler,
    RolloutOptions options,
    ProblemLookup problemLookup,
    ModelWorkGate gate,
    ILogger<GenerateRolloutsConsumer> logger) : IConsumer<GenerateRollouts>
{
    public async Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        // Only for runs the orchestrator accepted: a forged or stray command must not make this worker sample.
        await UnknownRunException.ThrowUnlessAcceptedAsync(store, message.RunId, nameof(GenerateRollouts), ct);
        var blob = ArtifactLayout.Rollouts(message.SampleSetId, message.ShardIndex);

        if (await ReadCompleteShardAsync(message, blob, ct) is { } existing)
        {
            logger.LogInformation("Shard {Shard} of run {RunId} is already in {Blob}: re-announced, not resampled", message.ShardIndex, message.RunId, blob);
            await PublishGeneratedAsync(context, blob, existing, TimeSpan.Zero);
            return;
        }

        var problems = problemLookup.Find(message.Dataset, message.ProblemIds, $"Shard {message.ShardIndex} of run {message.RunId}");
        var folder = await models.ResolveAsync(message.BaseModel, ct);
        var prompts = problems.Select(p =>
        {
            var target = message.PromptLengthTargets?.Draw(message.Seed, p.Id);
            return new RolloutPromptSet(p.Id, RolloutPromptSet.Render(p, message.Dataset, target), target);
        }).ToList();
        var klReference = message.KlReferenceModel is { } klModel ? await models.ResolveAsync(klModel, ct) : null;
        var settings = new RolloutSamplingSettings(
            message.SamplesPerProblem, message.MaxNewTokens, message.Temperature, message.TopP,
            Seed: message.Seed,
            options.BatchSize,
            klReference);

        logger.LogInformation(
            "Sampling shard {Shard}/{Shards} of run {RunId}: {Problems} problems × {K} samples from {Model}",
            message.ShardIndex, message.ShardCount, message.RunId, prompts.Count, message.SamplesPerProblem, message.BaseModel);

        RolloutProgress? last = null;
        var throttle = new ProgressThrottle(ProgressThrottle.DefaultInterval);
        void Report(RolloutProgress progress)
        {
            last = progress;
            if (!throttle.ShouldReport(final: progress.SamplesDone == progress.Samples))
                return;
            logger.LogInformation(
                "Shard {Shard} of run {RunId}: {ProblemsDone}/{Problems} problems, {SamplesDone}/{Samples} samples, {Tokens} tokens, {TokensPerSecond:F1} tokens/s",
                message.ShardIndex, message.RunId, progress.ProblemsDone, progress.Problems, progress.SamplesDone, progress.Samples, progress.Tokens, progress.TokensPerSecond);
            // Runs on the sampling thread between batches; waiting here only delays the next batch by a publish.
            context.Publish(new StageProgress
            {
                RunId = message.RunId,
                Stage = "sampling",
                Done = progress.SamplesDone,
                Total = progress.Samples,
                Detail = $"shard {message.ShardIndex}: {progress.ProblemsDone}/{progress.Problems} problems, {progress.TokensPerSecond:F0} tokens/s",
            }, ct).GetAwaiter().GetResult();
        }

        // Sampling is long and synchronous (TorchSharp): off the bus's thread, cancellable between batches.
        IReadOnlyList<RolloutSample> samples;
        using (await gate.EnterAsync(ct))
        {
            samples = await Task.Run(() => sampler.Sample(folder, prompts, settings, Report, ct), ct);
        }
        var elapsed = last?.Elapsed ?? TimeSpan.Zero;

        using (var content = new MemoryStream(SampleJsonLines.Serialize(samples)))
        {
            await store.WriteAsync(blob, content, ct);
        }

        await PublishGeneratedAsync(context, blob, samples, elapsed);
    }

    private Task PublishGeneratedAsync(ConsumeContext<GenerateRollouts> context, string blob, IReadOnlyList<RolloutSample> samples, TimeSpan elapsed)
    {
        var message = context.Message;
        return context.Publish(new RolloutsGenerated
        {
            RunId = message.RunId,
            SampleSetId = message.SampleSetId,
            ShardIndex = message.ShardIndex,
            RolloutsBlob = blob,
            Problems = samples.Select(s => s.ProblemId).Distinct().Count(),
            Samples = samples.Count,
            Tokens = samples.Sum(s => (long)s.Length),
            Seconds = elapsed.TotalSeconds,
            PolicyVersion = message.PolicyVersion,
        }, context.CancellationToken);
    }

    /// <summary>The shard's samples when its blob already holds exactly every (problem, sample index) of the shard; else null.</summary>
    private async Task<IReadOnlyList<RolloutSample>?> ReadCompleteShardAsync(GenerateRollouts message, string blob, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(blob, ct);
        if (stream is null)
        {
            return null;
        }

        try
        {
            var samples = await SampleJsonLines.ReadAsync<RolloutSample>(stream, blob, ct);
            var expected = message.ProblemIds.SelectMany(id => Enumerable.Range(0, message.SamplesPerProblem).Select(k => (id, k))).ToHashSet();
            var present = samples.Select(s => (s.ProblemId, s.SampleIndex)).ToList();
            if (present.Count == expected.Count && expected.SetEquals(present)
                && (message.KlReferenceModel is null || samples.All(s => s.KlRefLogProbs?.Length == s.TokenIds.Length)))
            {
                return samples;
            }

            logger.LogWarning("Shard {Shard} of run {RunId}: {Blob} holds {Present} samples, {Expected} expected; sampling it again", message.ShardIndex, message.RunId, blob, present.Count, expected.Count);
            return null;
        }
        catch (InvalidDataException e)
        {
            // Our own output, damaged: sampling again repairs it.
            logger.LogWarning(e, "Shard {Shard} of run {RunId}: {Blob} is unreadable; sampling it again", message.ShardIndex, message.RunId, blob);
            return null;
        }
    }
}
