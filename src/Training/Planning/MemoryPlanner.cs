using PrunerPipeline.Model;
using PrunerPipeline.Model.Shapes;

namespace PrunerPipeline.Training.Planning;

/// <summary>
/// Expected peak memory of each service of a run, from the model's config and the run's sizes alone (no weights are
/// read). The terms, per service (P parameters, L layers, h hidden, I intermediate, V vocab, kv = KV heads × head dim):
/// <list type="bullet">
/// <item><b>Rollouts</b>: the frozen reference in its stored dtype (2 or 4 B/P) and, on the CPU, the managed engine's
/// packed copy of it in the same dtype ("engine buffers"; on CUDA the torch path upcasts the largest matrix per product); KV
/// cache 2·L·kv·(prompt + new)·4 B per sequence of a rollout batch; decode activations of the batch.</item>
/// <item><b>Trainer</b>: float32 master weights (4 B/P), gradients and AdamW moments (4 + 8 B per trainable
/// parameter); with LoRA the base stays in its stored dtype and only the r·(in + out) adapter parameters per
/// projection are trainable. Activations of one micro-batch of b·T tokens (T = prompt + new, b = the sequences that fit
/// <c>Trainer:MaxTokensPerMicroBatch</c>, at most the batch): per layer and token about
/// 12·h + 4·I + 3·kv floats kept for backward plus 2·heads·T attention scores/probabilities (no fused attention on the
/// CPU), and 3·V floats per completion token for logits, log-softmax and its gradient; with gradient checkpointing
/// only each layer's input (h floats per token) is kept, plus one layer's activations during its recompute. The
/// trainer holds no reference model: reference log-probs travel with the samples.</item>
/// <item><b>Evaluation</b>: the reference and the candidate checkpoint (float32 when the trainer saved it so), each with
/// the managed engine's copy, one at a time, plus an evaluation batch's KV cache and activations.</item>
/// <item><b>Embedded</b>: one process hosts every service and its stages take turns (ModelWorkGate); each stage frees
/// the idle models the shared cache holds before loading its own, so the peak is the largest stage.</item>
/// </list>
/// "Runtime" is the .NET + libtorch baseline of a process (measured: ~0.4 GB on the CPU; a CUDA context ~0.5 GB).
/// </summary>
public static class MemoryPlanner
{
    private const long Float = 4;
    public const long CpuRuntimeBytes = 400L << 20;
    public const long CudaRuntimeBytes = 500L << 20;

    /// <summary>
    /// Without a run's <c>gradientCheckpointing</c>, it is on when keeping every layer's activations of the largest
    /// micro-batch would take at least this much: 1 GiB is ~2.9 GB less at the Qwen2.5-0.5B shape with 4 sequences of
    /// 250 tokens and ~6.8 GB less at R1-Distill-Qwen-1.5B, for one extra forward pass; the built-in model's largest
    /// micro-batch keeps ~0.4 GB and trains without it.
    /// </summary>
    public const long GradientCheckpointingFromBytes = 1L << 30;

    /// <summary>The default for <c>gradientCheckpointing</c>: on when <see cref="KeptActivationBytes"/> reaches <paramref name="fromBytes"/>.</summary>
    public static bool WantsGradientCheckpointing(ModelConfig config, long longestSequence, int batch, int maxTokensPerMicroBatch,
        long fromBytes = GradientCheckpointingFromBytes) =>
        KeptActivationBytes(config, longestSequence, batch, maxTokensPerMicroBatch) >= fromBytes;

    /// <summary>
    /// Activations every layer keeps for backward without gradient checkpointing, for the largest micro-batch of
    /// sequences of <paramref name="tokens"/> tokens (the logits are not counted: checkpointing does not change them).
    /// </summary>
    public static long KeptActivationBytes(ModelConfig config, long tokens, int batch, int maxTokensPerMicroBatch) =>
        LayerActivationBytes(config, MicroBatchRows(tokens, batch, maxTokensPerMicroBatch), tokens) * config.NumHiddenLayers;

    /// <summary>The trainer accumulates gradients over micro-batches of at most MaxTokensPerMicroBatch padded tokens (at least one sequence).</summary>
    private static long MicroBatchRows(long tokens, int batch, int maxTokensPerMicroBatch) =>
        Math.Clamp(maxTokensPerMicroBatch / Math.Max(1, tokens), 1, Math.Max(1, batch));

    /// <summary>One layer's activations for <paramref name="rows"/> sequences of <paramref name="tokens"/>: per token 12·h + 4·I + 3·kv floats, plus 2·heads·T attention scores.</summary>
    private static long LayerActivationBytes(ModelConfig c, long rows, long tokens)
    {
        long kv = (long)c.KeyValueHeads * c.HeadDimension;
        var perLayerToken = (12L * c.HiddenSize + 4L * c.IntermediateSize + 3 * kv) * Float;
        var attention = 2L * c.NumAttentionHeads * tokens * Float;
        return rows * tokens * (perLayerToken + attention);
    }

    public static MemoryPlan Plan(PlanInputs inputs)
    {
        var c = inputs.Config;
        var parameters = CheckpointLayout.ParameterCount(c);
        long h = c.HiddenSize, inter = c.IntermediateSize, vocab = c.VocabSize, layers = c.NumHiddenLayers;
        long kv = (long)c.KeyValueHeads * c.HeadDimension, q = (long)c.NumAttentionHeads * c.HeadDimension;
        var runtime = inputs.Device == "cuda" ? CudaRuntimeBytes : CpuRuntimeBytes;
        var tokens = (long)inputs.PromptTokens + inputs.MaxNewTokens;
        var stored = (long)inputs.StoredBytesPerParameter;
        var largestMatrix = Math.Max(vocab * h, inter * h);

        // Frozen model in its stored dtype; on the CPU it decodes on the managed engine, which packs its own copy in that
        // dtype (measured at the 1.5B shape: 3.5 GB beside the 3.6 GB model).
        long FrozenWeights() => parameters * stored;
        long EngineCopy(long bytesPerParameter) => inputs.Device == "cpu" ? parameters * bytesPerParameter : largestMatrix * Float;
        long FrozenEngine() => EngineCopy(stored);
        long KvCache(long batch) => batch * layers * 2 * kv * tokens * Float;
        // Prefill of a batch: one layer's activations over the prompt plus the last position's logits.
        long DecodeActivations(long batch) =>
            batch * inputs.PromptTokens * (6 * h + 3 * inter) * Float + batch * c.NumAttentionHeads * inputs.PromptTokens * (long)inputs.PromptTokens * Float + batch * vocab * Float * 3;

        var rolloutBatch = Math.Min(inputs.RolloutBatch, Math.Max(1, inputs.SamplesPerProblem) * 64L);
        var rollouts = new ServicePlan("rollouts", runtime, FrozenWeights(), 0, 0, DecodeActivations(rolloutBatch), KvCache(rolloutBatch), FrozenEngine(),
            inputs.Device == "cpu" ? $"{(stored == Float ? "float32" : $"{stored * 8}-bit")} reference + the managed engine's packed copy"
                : $"{stored * 8}-bit reference, float32 compute one matrix at a time");

        // Trainer.
        long trainable;
        long trainerWeights;
        if (inputs.LoraRank is int r)
        {
            trainable = layers * r * ((h + q) + (h + kv) * 2 + (q + h) + (h + inter) * 2 + (inter + h));
            trainerWeights = parameters * stored + trainable * Float;
        }
        else
        {
            trainable = parameters;
            trainerWeights = parameters * Float;
        }
        var microBatch = MicroBatchRows(tokens, inputs.TrainBatch, inputs.MaxTokensPerMicroBatch);
        var batchTokens = microBatch * tokens;
        var layerActivations = LayerActivationBytes(c, microBatch, tokens);
        var logits = microBatch * inputs.MaxNewTokens * vocab * Float * 3;
        var activations = (inputs.GradientCheckpointing ? batchTokens * h * Float * layers + layerActivations : layerActivations * layers) + logits;
        var trainer = inputs.Training
            ? new ServicePlan("trainer", runtime, trainerWeights, trainable * Float, trainable * 2 * Float, activations, 0, largestMatrix * Float,
                (inputs.LoraRank is int rank ? $"LoRA r={rank}: {trainable:N0} trainable parameters" : "full fine-tuning") +
                (inputs.GradientCheckpointing ? ", gradient checkpointing" : ""))
            : new ServicePlan("trainer", 0, 0, 0, 0, 0, 0, 0, "no training (Fast-solving prompt)");

        // Evaluation: the reference, then the candidate (saved float32 by a full fine-tune; a LoRA candidate is the
        // 16-bit base + adapter), one at a time.
        var candidateBytes = inputs.Training ? (inputs.LoraRank is null ? Float : stored) : stored;
        var candidateWeights = parameters * candidateBytes + (inputs.LoraRank is null ? 0 : trainable * Float);
        var candidateEngine = EngineCopy(candidateBytes);
        var evalBatch = (long)inputs.EvalBatch;
        var evaluation = new ServicePlan("evaluation", runtime, Math.Max(FrozenWeights(), candidateWeights), 0, 0, DecodeActivations(evalBatch), KvCache(evalBatch),
            Math.Max(FrozenEngine(), candidateEngine), "reference and candidate evaluated one after the other");

        // One process: the stages take turns and each frees the cache's idle models before loading its own.
        var stages = new[] { rollouts.Peak, trainer.Peak, evaluation.Peak };
        var worst = Array.IndexOf(stages, stages.Max());
        var embedded = worst switch
        {
            0 => rollouts with { Service = "embedded", Notes = "peak while sampling" },
            1 => trainer with { Service = "embedded", Notes = "peak while training" },
            _ => evaluation with { Service = "embedded", Notes = "peak while evaluating" },
        };
        return new MemoryPlan(inputs, parameters, inputs.Training ? trainable : 0, [rollouts, trainer, evaluation], embedded);
    }
}
