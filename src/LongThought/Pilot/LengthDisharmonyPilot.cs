using System.Diagnostics;
using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.Model;

namespace PrunerPipeline.LongThought.Pilot;

/// <summary>
/// Runs the length-disharmony pilot (O1-Pruner §2, Table 1 / Fig. 1): samples <see cref="PilotOptions.SamplesPerProblem"/>
/// solutions per problem, grades them, and splits each problem's samples into length quartiles.
/// Works for any model and dataset: the grader is passed in, so this library needs no grading dependency.
/// </summary>
public static class LengthDisharmonyPilot
{
    public static DisharmonyReport Run(
        CausalLM model,
        TextTokenizer tokenizer,
        string modelName,
        string datasetName,
        IReadOnlyList<Problem> problems,
        PilotOptions options,
        Func<Problem, string, bool> isCorrect,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        // One (problem, sample) pair per sequence, problem-major, so a batch holds many samples of few prompts.
        var jobs = problems.SelectMany((problem, p) => Enumerable.Range(0, options.SamplesPerProblem).Select(s => (Problem: p, Sample: s))).ToList();
        var prompts = problems
            .Select(problem => tokenizer.Encode(ChatTemplate.Render(options.SystemPrompt, problem.Question + (options.UserSuffix ?? ""))).ToArray())
            .ToList();
        var samples = problems.Select(_ => new List<PilotSample>(options.SamplesPerProblem)).ToList();
        var truncated = 0;
        var done = 0;
        foreach (var (batch, batchIndex) in jobs.Chunk(options.BatchSize).Select((b, i) => (b, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var generated = Generator.Generate(model, batch.Select(job => prompts[job.Problem]).ToList(), new SamplingOptions
            {
                MaxNewTokens = options.MaxNewTokens,
                Temperature = options.Temperature,
                TopP = options.TopP,
                StopTokenIds = tokenizer.EosTokenIds,
                Seed = options.Seed + batchIndex,
            }, cancellationToken: cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                var (p, s) = batch[i];
                var sequence = generated[i];
                var text = tokenizer.Decode(sequence.TokenIds);
                if (sequence.FinishReason == "length")
                    truncated++;
                samples[p].Add(new PilotSample(s, sequence.TokenIds.Length, isCorrect(problems[p], text), sequence.FinishReason,
                    text.Split('\n').Count(line => line.Trim() == TeacherTrace.RecheckHeader)));
            }
            done += batch.Length;
            progress?.Report(done);
        }

        var perProblem = problems.Select((problem, p) => LengthQuartiles.Summarise(problem.Id, problem.Level, samples[p])).ToList();
        return LengthQuartiles.Report(modelName, datasetName, options.Temperature, options.MaxNewTokens,
            stopwatch.Elapsed.TotalSeconds, perProblem, jobs.Count == 0 ? 0 : truncated / (double)jobs.Count)
            with { RecheckGain = RecheckGain.ByLevel(problems, samples) };
    }
}
