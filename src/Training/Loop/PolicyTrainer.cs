using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PrunerPipeline.Model.Memory;
using PrunerPipeline.Training.Checkpoints;
using PrunerPipeline.Training.Planning;
using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>
/// The training loop shared by O1-Pruner, SFT and DPO: per-epoch shuffled order, steps of <c>BatchSize</c> examples split
/// into length-sorted micro-batches with gradient accumulation, AdamW with warm-up + cosine learning rate, global
/// gradient-norm clipping, optional freezing of embeddings and the first N layers (a LoRA policy trains its adapters
/// only), optional gradient checkpointing per decoder layer, and checkpoints after each epoch
/// and every N steps. Everything random is a function of the seed and the step, so a run resumed from a checkpoint
/// ends with the same weights as one that was never interrupted.
/// </summary>
public sealed class PolicyTrainer
{
    private readonly TrainerOptions options;

    public PolicyTrainer(TrainerOptions options)
    {
        options.Validate();
        this.options = options;
    }

    /// <summary>Steps in one epoch of <paramref name="examples"/> examples (the last step may be smaller).</summary>
    public int StepsPerEpoch(int examples) => (examples + options.BatchSize - 1) / options.BatchSize;

    /// <param name="policy">The policy, loaded from <paramref name="resumeFrom"/>'s folder when resuming, else from the base model.</param>
    /// <param name="recipe">The method's examples and loss.</param>
    /// <param name="checkpointRoot">Local folder that receives <c>step-{n:D6}</c> checkpoints and the live <c>metrics.jsonl</c>.</param>
    /// <param name="resumeFrom">The checkpoint to continue from (see <see cref="TrainingCheckpoint.FindLatest"/>), or null to start.</param>
    /// <param name="ct">Checked between steps: cancellation stops at the next step boundary.</param>
    public TrainingResult Train(ITrainablePolicy policy, ITrainingRecipe recipe, string checkpointRoot, TrainingCheckpoint? resumeFrom,
        TrainingCallbacks? callbacks, CancellationToken ct)
    {
        if (recipe.Count == 0)
        {
            throw new InvalidOperationException($"The {recipe.Name} recipe has no training examples (for SFT/DPO: no problem with enough correct samples)");
        }
        Directory.CreateDirectory(checkpointRoot);
        var stepsPerEpoch = StepsPerEpoch(recipe.Count);
        var totalSteps = stepsPerEpoch * options.Epochs;
        var fingerprint = Fingerprint(recipe);
        var trainable = PrepareTrainable(policy, recipe);
        using var optimizer = new AdamWOptimizer(trainable, options.Beta1, options.Beta2, options.AdamEpsilon, options.WeightDecay);
        var schedule = Schedule(totalSteps);

        var metrics = new List<StepMetrics>();
        var startStep = 0;
        TrainingCheckpoint? last = null;
        if (resumeFrom is not null)
        {
            CheckCompatible(resumeFrom.State, recipe, totalSteps, fingerprint);
            optimizer.Load(Path.Combine(resumeFrom.Directory, resumeFrom.State.OptimizerFile), resumeFrom.State.OptimizerStepCount);
            metrics.AddRange(resumeFrom.ReadMetrics().Where(m => m.Step <= resumeFrom.State.Step));
            startStep = resumeFrom.State.Step;
            last = resumeFrom;
        }
        var liveMetrics = Path.Combine(checkpointRoot, TrainingCheckpoint.MetricsFileName);
        StepMetrics.WriteJsonLines(liveMetrics, metrics);

        policy.Module.train();
        int[]? order = null;
        var orderEpoch = -1;
        for (var step = startStep; step < totalSteps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var epoch = step / stepsPerEpoch;
            if (epoch != orderEpoch)
            {
                order = EpochOrder(recipe.Count, options.Seed, epoch);
                orderEpoch = epoch;
            }
            var position = step % stepsPerEpoch * options.BatchSize;
            var stepExamples = order![position..Math.Min(position + options.BatchSize, order.Length)];

            var stepMetrics = RunStep(policy, recipe, optimizer, trainable, schedule.At(step), step, epoch, stepsPerEpoch, stepExamples, last?.State.Step, ct);
            metrics.Add(stepMetrics);
            File.AppendAllText(liveMetrics, stepMetrics.ToJsonLine() + "\n");
            callbacks?.StepCompleted?.Invoke(stepMetrics);

            var done = step + 1;
            var endOfEpoch = done % stepsPerEpoch == 0;
            var periodic = options.CheckpointEverySteps > 0 && done % options.CheckpointEverySteps == 0;
            if (endOfEpoch || periodic || done == totalSteps)
            {
                var state = State(done, totalSteps, stepsPerEpoch, epoch + 1, (double)done / stepsPerEpoch, recipe, fingerprint, optimizer,
                    "per epoch e: indices 0..n-1 shuffled by System.Random(seed * 7919 + e)");
                last = TrainingCheckpoint.Write(checkpointRoot, policy, optimizer, state, metrics);
                callbacks?.CheckpointSaved?.Invoke(last, done == totalSteps);
            }
        }
        if (last is null)
        {
            throw new InvalidOperationException("Training ended without a checkpoint");
        }
        return new TrainingResult(metrics, last, totalSteps - startStep);
    }

    /// <summary>
    /// One policy update of an online method: from <paramref name="previous"/> (its weights already loaded into
    /// <paramref name="policy"/>, its AdamW moments restored here; null = the base model, fresh moments), one pass over
    /// the examples of <paramref name="recipe"/> in optimizer steps of <c>BatchSize</c> (each micro-batched), at the
    /// learning rates of the warm-up + cosine schedule over every update's steps; written as checkpoint
    /// <c>step-{update}</c> (the policy version) with the metrics of every optimizer step so far. Deterministic in the
    /// seed and the update, so a redelivered update ends identically.
    /// </summary>
    public TrainingResult TrainUpdate(ITrainablePolicy policy, ITrainingRecipe recipe, string checkpointRoot, TrainingCheckpoint? previous,
        int update, int totalUpdates, TrainingCallbacks? callbacks, CancellationToken ct)
    {
        if (update < 1 || update > totalUpdates)
        {
            throw new ArgumentOutOfRangeException(nameof(update), update, $"update must lie in 1..{totalUpdates}");
        }
        if (previous is not null && previous.State.Step != update - 1)
        {
            throw new InvalidOperationException($"Update {update} must start from checkpoint step {update - 1}, not step {previous.State.Step}");
        }
        if (previous is null && update != 1)
        {
            throw new InvalidOperationException($"Update {update} needs checkpoint step {update - 1} to start from");
        }
        if (recipe.Count == 0)
        {
            throw new InvalidOperationException($"The {recipe.Name} recipe has no training examples for update {update}");
        }
        ct.ThrowIfCancellationRequested();
        Directory.CreateDirectory(checkpointRoot);
        var trainable = PrepareTrainable(policy, recipe);
        using var optimizer = new AdamWOptimizer(trainable, options.Beta1, options.Beta2, options.AdamEpsilon, options.WeightDecay);
        var metrics = new List<StepMetrics>();
        if (previous is not null)
        {
            optimizer.Load(Path.Combine(previous.Directory, previous.State.OptimizerFile), previous.State.OptimizerStepCount);
            metrics.AddRange(previous.ReadMetrics().Where(m => m.Step <= previous.State.OptimizerStepCount));
        }
        policy.Module.train();
        // One pass over the update's samples in mini-batches of BatchSize (verl's ppo_mini_batch_size, one PPO epoch):
        // the first mini-batch is on-policy, later ones are corrected by the clipped ratio.
        var perUpdate = StepsPerEpoch(recipe.Count);
        var first = (int)optimizer.StepCount;
        var schedule = Schedule(totalUpdates * perUpdate);
        var order = EpochOrder(recipe.Count, options.Seed, update);
        for (var i = 0; i < perUpdate; i++)
        {
            var step = first + i;
            var examples = order[(i * options.BatchSize)..Math.Min((i + 1) * options.BatchSize, order.Length)];
            var stepMetrics = RunStep(policy, recipe, optimizer, trainable, schedule.At(step), step, epoch: update - 1, stepsPerEpoch: perUpdate,
                examples, previous?.State.Step, ct);
            metrics.Add(stepMetrics);
            callbacks?.StepCompleted?.Invoke(stepMetrics);
        }
        var state = State(update, totalUpdates, perUpdate, update, update, recipe, Fingerprint(recipe), optimizer,
            "online: update t trains on its own samples, shuffled by System.Random(seed * 7919 + t), in mini-batches of batchSize");
        var checkpoint = TrainingCheckpoint.Write(checkpointRoot, policy, optimizer, state, metrics);
        StepMetrics.WriteJsonLines(Path.Combine(checkpointRoot, TrainingCheckpoint.MetricsFileName), metrics);
        callbacks?.CheckpointSaved?.Invoke(checkpoint, update == totalUpdates);
        return new TrainingResult(metrics, checkpoint, perUpdate);
    }

    /// <summary>
    /// Whether training <paramref name="policy"/> on <paramref name="recipe"/> recomputes each layer in backward: the
    /// options' choice, else on when the layers' kept activations of the largest micro-batch would reach
    /// <see cref="MemoryPlanner.GradientCheckpointingFromBytes"/>.
    /// </summary>
    public bool UsesGradientCheckpointing(ITrainablePolicy policy, ITrainingRecipe recipe)
    {
        if (options.GradientCheckpointing is bool chosen)
            return chosen;
        // modules() lists the submodules only: the policy's module is itself the causal LM.
        var config = (policy.Module as PrunerPipeline.Model.Modules.Qwen2ForCausalLM
            ?? policy.Module.modules().OfType<PrunerPipeline.Model.Modules.Qwen2ForCausalLM>().FirstOrDefault())?.Config;
        if (config is null || recipe.Count == 0)
            return false;
        var longest = Enumerable.Range(0, recipe.Count).SelectMany(recipe.SequencesOf).Max(s => (long)s.PromptTokenIds.Length + s.TokenIds.Length);
        return MemoryPlanner.WantsGradientCheckpointing(config, longest, options.BatchSize * Math.Max(1, recipe.SequencesOf(0).Count),
            options.MaxTokensPerMicroBatch, options.GradientCheckpointingFromBytes);
    }

    /// <summary>Freezes what the options say and switches gradient checkpointing; the parameters left to train.</summary>
    private IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> PrepareTrainable(ITrainablePolicy policy, ITrainingRecipe recipe)
    {
        var trainable = ParameterFreezing.Apply(policy.Module, options.FreezeEmbeddings, options.FreezeFirstLayers);
        if (trainable.Count == 0)
        {
            throw new InvalidOperationException("Every parameter is frozen: lower FreezeFirstLayers or unset FreezeEmbeddings");
        }
        var checkpointing = UsesGradientCheckpointing(policy, recipe);
        foreach (var decoder in policy.Module.modules().OfType<PrunerPipeline.Model.Modules.Qwen2Model>())
        {
            decoder.GradientCheckpointing = checkpointing;
        }
        return trainable;
    }

    private LearningRateSchedule Schedule(int totalSteps)
    {
        var warmup = options.WarmupRatio > 0 ? Math.Max(1, (int)Math.Ceiling(options.WarmupRatio * totalSteps)) : 0;
        return new LearningRateSchedule(options.LearningRate, warmup, totalSteps, options.MinLearningRateRatio);
    }

    /// <summary>Whether a gradient was accumulated, disposing the fresh wrapper <c>p.grad</c> returns at once (not by finalizer).</summary>
    private static bool HasGradient(TorchSharp.Modules.Parameter parameter)
    {
        using var grad = parameter.grad;
        return grad is not null;
    }

    private TrainerState State(int step, int totalSteps, int stepsPerEpoch, int epoch, double epochProgress, ITrainingRecipe recipe, string fingerprint,
        AdamWOptimizer optimizer, string dataOrder) =>
        new(step, totalSteps, stepsPerEpoch, epoch, epochProgress, recipe.Name, options.Seed, recipe.Count, fingerprint,
            TrainingCheckpoint.OptimizerFileName, optimizer.StepCount, dataOrder, Rng: "torch.manual_seed(seed + step) before each step");

    private StepMetrics RunStep(ITrainablePolicy policy, ITrainingRecipe recipe, AdamWOptimizer optimizer,
        IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> trainable, double learningRate,
        int step, int epoch, int stepsPerEpoch, int[] stepExamples, int? lastCheckpointStep, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        torch.manual_seed(options.Seed + step);
        var sequences = stepExamples.SelectMany(recipe.SequencesOf).ToArray();
        var totals = new StepTotals(stepExamples.Length, sequences.Length, sequences.Sum(s => (long)s.TokenIds.Length));
        recipe.BeginStep(stepExamples);
        var microBatches = MicroBatchPlanner.Plan(stepExamples, i =>
        {
            var rows = recipe.SequencesOf(i);
            return (rows.Count, rows.Max(s => s.PromptTokenIds.Length + s.TokenIds.Length));
        }, options.MaxTokensPerMicroBatch);

        optimizer.ZeroGrad();
        double loss = 0, klSum = 0;
        long clipped = 0, ratios = 0;
        var preferred = 0;
        foreach (var microBatch in microBatches)
        {
            // A step of a real model is many micro-batches: a stop (or a lost deadline) is noticed between them, before the update.
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var result = recipe.Forward(policy, microBatch, totals);
            result.Loss.backward();
            loss += result.Loss.item<float>();
            clipped += result.Clipped;
            ratios += result.Ratios;
            klSum += result.KlSum;
            preferred += result.PreferredCount;
        }
        var parameters = trainable.Select(p => p.Parameter).Where(HasGradient).ToArray();
        var gradNorm = options.MaxGradNorm > 0
            ? nn.utils.clip_grad_norm_(parameters, options.MaxGradNorm)
            : nn.utils.clip_grad_norm_(parameters, double.MaxValue);
        // A NaN/∞ loss or gradient would poison every weight through the update: stop before it, naming the step.
        if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
        {
            throw new NonFiniteTrainingException(step + 1, loss, gradNorm, lastCheckpointStep);
        }
        optimizer.Step(learningRate);
        // The step's tensors are disposed by now, but glibc keeps their pages and the next step's differently sized
        // tensors fragment its arenas further: at the 1.5B shape with LoRA the resident set grew from 6.5 GB after step 1
        // to 8.9 GB by step 3; trimmed after every step it stays at 6.9 GB (docs/benchmarks.md). Throttled: on a tiny
        // model's sub-second steps trimming every time cost a quarter of the training time.
        NativeHeap.TrimThrottled();

        return new StepMetrics
        {
            Step = step + 1,
            Epoch = (double)(step + 1) / stepsPerEpoch,
            Loss = loss,
            MeanReward = sequences.Average(s => s.Reward),
            MeanLength = sequences.Average(s => (double)s.Length),
            LearningRate = learningRate,
            ClipFraction = ratios > 0 ? (double)clipped / ratios : null,
            KlToReference = ratios > 0 ? klSum / totals.CompletionTokens : null,
            PreferenceAccuracy = recipe is DpoRecipe ? (double)preferred / stepExamples.Length : null,
            GradNorm = gradNorm,
            MicroBatches = microBatches.Count,
            Tokens = sequences.Sum(s => (long)s.PromptTokenIds.Length + s.TokenIds.Length),
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The example order of one epoch: a pure function of seed and epoch, so a resumed run sees the same order.</summary>
    public static int[] EpochOrder(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked(seed * 7919 + epoch)).Shuffle(order);
        return order;
    }

    private static void CheckCompatible(TrainerState state, ITrainingRecipe recipe, int totalSteps, string fingerprint)
    {
        if (state.Method != recipe.Name || state.DataFingerprint != fingerprint || state.TotalSteps != totalSteps)
        {
            throw new InvalidOperationException(
                $"Checkpoint at step {state.Step} was written by another training setup (method {state.Method}, {state.Examples} examples, " +
                $"{state.TotalSteps} steps, data {state.DataFingerprint}); this run is {recipe.Name}, {recipe.Count} examples, {totalSteps} steps, data {fingerprint}");
        }
    }

    private static string Fingerprint(ITrainingRecipe recipe)
    {
        var text = new StringBuilder(recipe.Name);
        for (var i = 0; i < recipe.Count; i++)
        {
            foreach (var s in recipe.SequencesOf(i))
            {
                text.Append('|').Append(s.ProblemId).Append('#').Append(s.SampleIndex).Append(':').Append(s.TokenIds.Length);
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
