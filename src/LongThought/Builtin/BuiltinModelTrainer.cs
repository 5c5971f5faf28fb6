using System.Diagnostics;
using System.Text.Json;
using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.Model;
using PrunerPipeline.Model.Modules;
using PrunerPipeline.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.LongThought.Builtin;

/// <summary>
/// Trains the built-in reference model from scratch (nanoGPT-style loop): next-token cross-entropy on the teacher
/// completions only, AdamW, linear warm-up then cosine decay, gradient clipping, periodic validation loss, and a
/// final sampled accuracy on validation problems. Deterministic for a seed on one machine and thread count.
/// </summary>
public static class BuiltinModelTrainer
{
    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Batches are drawn this many at a time, sorted by length and shuffled back, so little compute goes to padding.</summary>
    private const int BatchesPerLengthBucket = 8;

    public static BuiltinTrainingResult Train(string folder, BuiltinModelOptions options, IProgress<BuiltinTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        if (options.Threads > 0)
            torch.set_num_threads(options.Threads);
        torch.manual_seed(options.Seed);

        var task = new SyntheticTask(options.Task);
        var tokenizerPath = Path.Combine(folder, "tokenizer.json");
        SyntheticTokenizer.WriteDefault(tokenizerPath, task);
        var tokenizer = TextTokenizer.Load(tokenizerPath);

        using var model = CausalLM.Create(BuiltinConfig(options, tokenizer), device: "cpu", seed: options.Seed);
        var module = model.Module;
        var parameters = module.parameters().ToList();
        var parameterCount = parameters.Sum(p => p.numel());
        using var optimizer = torch.optim.AdamW(parameters, lr: options.PeakLearningRate, beta1: 0.9, beta2: 0.98, weight_decay: options.WeightDecay);
        var schedule = new LearningRateSchedule(options.PeakLearningRate, options.WarmupSteps, options.Steps, options.MinLearningRateRatio);
        var padId = tokenizer.TokenId(SyntheticTokenizer.EndOfText) ?? throw new InvalidDataException($"{tokenizerPath}: no {SyntheticTokenizer.EndOfText} token");
        var validation = task.Load(SyntheticTask.Validation, options.ValidationProblems).Select(p => Tokenize(tokenizer, p.Question, p.Solution)).ToList();

        var stopwatch = Stopwatch.StartNew();
        var curve = new List<ValidationPoint>();
        var bucket = new List<List<TeacherExampleTokens>>();
        var exampleCounter = 0;
        long tokensSeen = 0;
        double trainLoss = double.NaN;
        for (var step = 0; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (step % BatchesPerLengthBucket == 0)
                bucket = NextBucket(task, tokenizer, options, step, ref exampleCounter);
            var examples = bucket[step % BatchesPerLengthBucket];

            module.train();
            var learningRate = schedule.At(step);
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = learningRate;
            using (var scope = NewDisposeScope())
            {
                var (inputs, targets, _) = TeacherBatch.Build(examples, padId);
                var loss = Loss(module, inputs, targets);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, options.GradientClip);
                optimizer.step();
                trainLoss = loss.item<float>();
            }
            tokensSeen += examples.Sum(e => e.Length);

            double? validationLoss = null;
            if ((step + 1) % options.ValidationEvery == 0 || step == options.Steps - 1)
            {
                validationLoss = ValidationLoss(module, validation, padId, options.BatchSize);
                curve.Add(new ValidationPoint(step + 1, validationLoss.Value));
            }
            progress?.Report(new BuiltinTrainingProgress(step + 1, options.Steps, learningRate, trainLoss, validationLoss,
                tokensSeen / Math.Max(1e-9, stopwatch.Elapsed.TotalSeconds), stopwatch.Elapsed));
        }
        var trainingSeconds = stopwatch.Elapsed.TotalSeconds;

        model.Save(folder);
        var (accuracy, meanLength) = options.AccuracyProblems > 0
            ? SampledAccuracy(model, tokenizer, task.Load(SyntheticTask.Validation, options.AccuracyProblems), options.Seed, cancellationToken)
            : ((double?)null, (double?)null);
        var result = new BuiltinTrainingResult(parameterCount, options.Steps, trainingSeconds, tokensSeen / trainingSeconds,
            trainLoss, curve[^1].Loss, accuracy, meanLength, curve, options.Task.Version);
        File.WriteAllText(Path.Combine(folder, BuiltinModel.TrainingSummaryFile), JsonSerializer.Serialize(result, JsonOptions));
        return result;
    }

    /// <summary>The Qwen2 configuration of the built-in model; vocabulary and special ids come from its tokenizer.</summary>
    public static ModelConfig BuiltinConfig(BuiltinModelOptions options, TextTokenizer tokenizer) => new()
    {
        Architectures = ["Qwen2ForCausalLM"],
        ModelType = "qwen2",
        VocabSize = tokenizer.VocabularySize,
        HiddenSize = options.HiddenSize,
        IntermediateSize = options.IntermediateSize,
        NumHiddenLayers = options.Layers,
        NumAttentionHeads = options.AttentionHeads,
        NumKeyValueHeads = options.KeyValueHeads,
        MaxPositionEmbeddings = options.MaxPositionEmbeddings,
        RopeTheta = options.RopeTheta,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = true,
        BosTokenId = tokenizer.TokenId(SyntheticTokenizer.EndOfText),
        EosTokenId = tokenizer.TokenId(SyntheticTokenizer.ImEnd),
        TorchDtype = "float32",
    };

    /// <summary>The chat prompt (no system turn) and the teacher completion ending with the end-of-turn token.</summary>
    public static TeacherExampleTokens Tokenize(TextTokenizer tokenizer, string userTurn, string trace) => new(
        tokenizer.Encode(ChatTemplate.Render(null, userTurn)).ToArray(),
        tokenizer.Encode(trace + SyntheticTokenizer.ImEnd).ToArray());

    private static List<List<TeacherExampleTokens>> NextBucket(SyntheticTask task, TextTokenizer tokenizer, BuiltinModelOptions options, int step, ref int exampleCounter)
    {
        var examples = new List<TeacherExampleTokens>(options.BatchSize * BatchesPerLengthBucket);
        for (var i = 0; i < options.BatchSize * BatchesPerLengthBucket; i++, exampleCounter++)
        {
            var example = task.TrainingExample(exampleCounter % options.TrainProblems, exampleCounter / options.TrainProblems);
            var tokens = Tokenize(tokenizer, example.UserTurn, example.Trace);
            if (FirstPassOnly(options, exampleCounter))
                tokens = CutAfterFirstPass(tokenizer, example, tokens);
            examples.Add(tokens);
        }
        var sorted = examples.OrderBy(e => e.Length).ToList();
        var batches = Enumerable.Range(0, BatchesPerLengthBucket)
            .Select(b => sorted.GetRange(b * options.BatchSize, options.BatchSize))
            .ToList();
        // Shuffle the batch order (deterministically) so lengths do not rise steadily within a bucket.
        var order = new Random(options.Seed * 7919 + step);
        return batches.OrderBy(_ => order.Next()).ToList();
    }

    private static bool FirstPassOnly(BuiltinModelOptions options, int exampleCounter) =>
        (uint)(exampleCounter * 2654435761u) % 10_000 < options.FirstPassOnlyFraction * 10_000;

    /// <summary>
    /// Keeps the prompt and the completion up to the end of the first pass of working, before the decision to
    /// re-check or stop, so that decision is learned only from whole traces and keeps its teacher distribution.
    /// </summary>
    private static TeacherExampleTokens CutAfterFirstPass(TextTokenizer tokenizer, SyntheticTrainingExample example, TeacherExampleTokens whole)
    {
        var lines = example.Trace.Split('\n');
        var detours = lines.TakeWhile(l => l != TeacherTrace.RecheckHeader && l != TeacherTrace.ThinkClose)
            .Count(l => l.StartsWith(TeacherTrace.CorrectionPrefix, StringComparison.Ordinal));
        var firstPass = string.Join('\n', lines.Take(1 + example.Problem.Level!.Value + detours)) + "\n";
        var prefix = tokenizer.Encode(firstPass).ToArray();
        // Only cut where the prefix tokenises exactly as the start of the whole completion.
        return prefix.Length < whole.Completion.Length && whole.Completion.AsSpan(0, prefix.Length).SequenceEqual(prefix)
            ? whole with { Completion = prefix }
            : whole;
    }

    private static Tensor Loss(nn.Module module, Tensor inputs, Tensor targets)
    {
        var logits = Forward(module, inputs);                                        // (B, T, V)
        return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: TeacherBatch.IgnoreIndex);
    }

    private static Tensor Forward(nn.Module module, Tensor inputs) => ((Qwen2ForCausalLM)module).forward(inputs);

    private static double ValidationLoss(nn.Module module, IReadOnlyList<TeacherExampleTokens> validation, int padId, int batchSize)
    {
        module.eval();
        using var noGrad = torch.no_grad();
        double total = 0;
        long count = 0;
        foreach (var chunk in validation.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var (inputs, targets, learned) = TeacherBatch.Build(chunk, padId);
            total += Loss(module, inputs, targets).item<float>() * learned;
            count += learned;
        }
        return total / count;
    }

    /// <summary>Samples one solution (temperature 1) per validation problem and grades its last \boxed{} integer.</summary>
    private static (double? Accuracy, double? MeanLength) SampledAccuracy(CausalLM model, TextTokenizer tokenizer, IReadOnlyList<Problem> problems, int seed, CancellationToken cancellationToken)
    {
        var prompts = problems.Select(p => tokenizer.Encode(ChatTemplate.Render(null, p.Question)).ToArray()).ToList();
        var generated = PrunerPipeline.Model.Generator.Generate(model, prompts, new SamplingOptions
        {
            MaxNewTokens = 320,
            Temperature = 1.0,
            TopP = 1.0,
            StopTokenIds = tokenizer.EosTokenIds,
            Seed = seed,
        }, cancellationToken: cancellationToken);
        var correct = problems.Zip(generated).Count(pair => SyntheticAnswer.IsCorrect(pair.First.Answer, tokenizer.Decode(pair.Second.TokenIds)));
        return (correct / (double)problems.Count, generated.Average(g => (double)g.TokenIds.Length));
    }
}
