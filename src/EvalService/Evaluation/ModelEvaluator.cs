using PrunerPipeline.Datasets.Prompts;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using PrunerPipeline.EvalService.Metrics;
using PrunerPipeline.Grading;
using PrunerPipeline.Hosting.Artifacts;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>
/// Evaluates a model on an evaluation set: generate, grade each solution with <see cref="AnswerGrader"/>, summarise.
/// Results are cached in the store under <c>evals/{key}/</c> (key = hash of model, its weights' fingerprint, the set,
/// the prompt and the decoding), so the reference model is evaluated once however many runs compare against it.
/// </summary>
public sealed class ModelEvaluator
{
    private readonly ISolutionGenerator generator;
    private readonly IArtifactStore store;
    private readonly ILogger<ModelEvaluator> logger;
    // Two runs asking for the same reference at once must not both generate it.
    private readonly SemaphoreSlim evaluating = new(1, 1);

    public ModelEvaluator(ISolutionGenerator generator, IArtifactStore store, ILogger<ModelEvaluator> logger)
    {
        this.generator = generator;
        this.store = store;
        this.logger = logger;
    }

    public static string CacheBlob(string key) => ArtifactLayout.CachedEvaluation(key);

    public async Task<(EvaluationSummary Summary, CachedEvaluation Evaluation, bool FromCache)> EvaluateAsync(
        EvaluationRequest request, IReadOnlyList<Datasets.Problem> problems, Action<int, int>? progress, CancellationToken ct)
    {
        var fingerprint = Fingerprint(request.ModelFolder);
        var key = CacheKey(request, fingerprint);
        await evaluating.WaitAsync(ct);
        try
        {
            var cached = await store.ReadJsonAsync<CachedEvaluation>(CacheBlob(key), ct);
            if (cached is not null)
            {
                logger.LogInformation("Evaluation of {Model} on {Dataset} taken from cache {EvalKey}", request.ModelRef, request.Dataset, key);
                return (EvaluationSummary.From(request.Dataset, cached.Outcomes, cached.WallSeconds), cached, true);
            }

            var samples = Math.Max(1, request.Decoding.IsGreedy ? 1 : request.Decoding.SamplesPerProblem);
            var prompts = problems.SelectMany(p => Enumerable.Repeat(SolutionPrompts.For(p, request.Dataset, request.Brief, request.LengthTarget), samples)).ToList();
            var clock = Stopwatch.StartNew();
            var solutions = await Task.Run(
                () => generator.Generate(request.ModelFolder, prompts, request.Decoding, done => progress?.Invoke(done, prompts.Count), ct), ct);
            clock.Stop();
            if (solutions.Count != prompts.Count)
            {
                throw new InvalidOperationException($"The generator returned {solutions.Count} solutions for {prompts.Count} prompts");
            }

            var outcomes = new List<ProblemOutcome>(solutions.Count);
            for (var i = 0; i < solutions.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var problem = problems[i / samples];
                var grade = AnswerGrader.Grade(problem.Answer, solutions[i].Text);
                outcomes.Add(new ProblemOutcome(problem.Id, request.Dataset, problem.Level, grade.Correct, solutions[i].Length, grade.Extracted, solutions[i].FinishReason));
            }
            var evaluation = new CachedEvaluation(request.ModelRef, fingerprint, request.Dataset, request.ProblemLimit, request.Brief,
                request.Decoding.Describe(), clock.Elapsed.TotalSeconds, outcomes);
            await store.WriteJsonAsync(CacheBlob(key), evaluation, ct);
            var summary = EvaluationSummary.From(request.Dataset, outcomes, clock.Elapsed.TotalSeconds);
            logger.LogInformation(
                "Evaluated {Model} on {Dataset}: accuracy {Accuracy:P1}, mean length {MeanLength:F1} tokens, {TokensPerSecond:F0} tokens/s",
                request.ModelRef, request.Dataset, summary.Accuracy, summary.MeanLength, summary.TokensPerSecond);
            return (summary, evaluation, false);
        }
        finally
        {
            evaluating.Release();
        }
    }

    /// <summary>Key of a cached evaluation: every input that changes the solutions, hashed to a blob-safe name.</summary>
    public static string CacheKey(EvaluationRequest request, string fingerprint)
    {
        var text = string.Join('\n',
            request.ModelRef, fingerprint, request.Dataset, request.ProblemLimit.ToString(CultureInfo.InvariantCulture),
            request.Brief ? "brief" : "plain", request.Decoding.Describe());
        if (request.LengthTarget is { } target)
        {
            // Only then: the keys of every evaluation without a length instruction stay what they were.
            text += string.Create(CultureInfo.InvariantCulture, $"\ntarget {target}");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }

    /// <summary>
    /// Identifies the weights without hashing gigabytes: the config, and each weight file's name, size and write time.
    /// A retrained model under the same name therefore gets a new cache entry.
    /// </summary>
    public static string Fingerprint(string modelFolder)
    {
        var parts = new StringBuilder();
        var config = Path.Combine(modelFolder, "config.json");
        if (File.Exists(config))
        {
            parts.Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(config))));
        }
        foreach (var file in Directory.EnumerateFiles(modelFolder, "*.safetensors").Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            parts.Append('|').Append(info.Name).Append(':').Append(info.Length).Append(':').Append(info.LastWriteTimeUtc.Ticks);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parts.ToString())))[..16];
    }
}
