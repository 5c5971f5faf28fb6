using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Inference;

/// <summary>
/// A snapshot of a <see cref="CausalLM"/>'s float32 weights in the managed decode engine's layout: q/k/v fused into
/// one packed matrix, gate/up into another (interleaved so one GEMM tile yields silu(gate)·up), every matrix in
/// <see cref="PackedMatrix"/> blocks in 64-byte aligned native memory freed on <see cref="Dispose"/>.
/// It is a copy: weights changed after <see cref="From"/> (a training step) are not seen until <see cref="Refresh"/>.
/// <see cref="Generator.Generate"/> re-reads the weights on every call (into a snapshot kept per model instance and
/// reused, so no new memory is touched), which costs a few milliseconds for a ~10M model.
/// </summary>
public sealed unsafe class ManagedDecoder : IDisposable
{
    private readonly List<IDisposable> owned = [];

    private ManagedDecoder(ModelConfig config)
    {
        Config = config;
        Hidden = config.HiddenSize;
        Heads = config.NumAttentionHeads;
        KvHeads = config.KeyValueHeads;
        HeadDim = config.HeadDimension;
        Intermediate = config.IntermediateSize;
        PaddedIntermediate = (Intermediate + 31) / 32 * 32;
        Vocab = config.VocabSize;
        Eps = (float)config.RmsNormEps;
        Layers = new LayerWeights[config.NumHiddenLayers];
        var inverse = new float[HeadDim / 2];
        for (var i = 0; i < inverse.Length; i++)
            inverse[i] = (float)(1.0 / Math.Pow(config.RopeTheta, 2.0 * i / HeadDim));
        InverseFrequencies = inverse;
    }

    public ModelConfig Config { get; }

    internal int Hidden { get; }

    internal int Heads { get; }

    internal int KvHeads { get; }

    internal int HeadDim { get; }

    internal int Intermediate { get; }

    internal int PaddedIntermediate { get; }

    internal int Vocab { get; }

    internal float Eps { get; }

    internal float[] InverseFrequencies { get; }

    internal LayerWeights[] Layers { get; }

    /// <summary>(V, hidden) row-major, for the embedding lookup.</summary>
    internal float* Embedding { get; private set; }

    internal float* FinalNorm { get; private set; }

    internal PackedMatrix LmHead { get; private set; } = null!;

    /// <summary>Bytes of weights one decode step streams (every packed matrix once).</summary>
    public long StreamedBytes => Layers.Sum(l => l.Qkv.Bytes + l.Output.Bytes + l.GateUp.Bytes + l.Down.Bytes) + LmHead.Bytes;

    /// <summary>Whether <paramref name="model"/> can be decoded by this engine: on the CPU with float32 weights.</summary>
    public static bool Supports(CausalLM model, out string reason)
    {
        if (model.Device.type != DeviceType.CPU)
        {
            reason = $"the model is on {model.Device.type}, the managed engine runs on the CPU";
            return false;
        }
        foreach (var (name, parameter) in model.Module.named_parameters())
        {
            if (parameter.dtype != ScalarType.Float32)
            {
                reason = $"{name} is {parameter.dtype}, the managed engine needs float32";
                return false;
            }
        }
        reason = "";
        return true;
    }

    /// <summary>Copies <paramref name="model"/>'s current weights into the engine's layout.</summary>
    public static ManagedDecoder From(CausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Supports(model, out var reason))
            throw new NotSupportedException(reason);
        var decoder = new ManagedDecoder(model.Config);
        try
        {
            using var noGrad = no_grad();
            decoder.source = model;
            decoder.parameters = model.Module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
            decoder.Load(decoder.parameters);
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Re-reads <paramref name="model"/>'s current weights into this snapshot's memory (same config required): cheaper
    /// than a new snapshot because no fresh pages are faulted in. Not to be called while a session decodes with it.
    /// </summary>
    public void Refresh(CausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config != Config)
            throw new ArgumentException("the model's config differs from the snapshot's", nameof(model));
        if (!ReferenceEquals(model, source) || parameters is null)
        {
            source = model;
            parameters = model.Module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        }
        if (!StillSupported(out var reason))
            throw new NotSupportedException(reason);
        using var noGrad = no_grad();
        if (ReferenceEquals(parameters, loadedFrom))
        {
            // Same parameter objects: re-run the recorded packing (pointers are re-read, nothing is allocated).
            foreach (var repack in repacks)
                repack();
        }
        else
        {
            Load(parameters);
        }
    }

    /// <summary>How to re-read every packed matrix and copied vector from the parameters <see cref="Load"/> last read.</summary>
    private readonly List<Action> repacks = [];
    private Dictionary<string, Tensor>? loadedFrom;

    /// <summary>
    /// The source model's parameter objects (its weights are modified in place by training and loading, so the same
    /// objects always hold the current values); kept so that a refresh does not enumerate the module again.
    /// </summary>
    private Dictionary<string, Tensor>? parameters;
    private CausalLM? source;

    /// <summary><see cref="Supports"/> for the model this snapshot was taken from, without enumerating its module.</summary>
    internal bool StillSupported(out string reason)
    {
        if (source is null || parameters is null)
        {
            reason = "no source model";
            return false;
        }
        if (source.Device.type != DeviceType.CPU)
        {
            reason = $"the model is on {source.Device.type}, the managed engine runs on the CPU";
            return false;
        }
        foreach (var (name, parameter) in parameters)
        {
            if (parameter.dtype != ScalarType.Float32 || parameter.device_type != DeviceType.CPU)
            {
                reason = $"{name} is {parameter.dtype} on {parameter.device_type}, the managed engine needs float32 on the CPU";
                return false;
            }
        }
        reason = "";
        return true;
    }

    private readonly List<PackedMatrix> matrices = [];
    private readonly List<NativeBuffer> vectors = [];

    private void Load(Dictionary<string, Tensor> parameters)
    {
        var config = Config;
        var refreshing = matrices.Count > 0;
        var matrixIndex = 0;
        var vectorIndex = 0;
        repacks.Clear();
        loadedFrom = parameters;
        PackedMatrix Matrix(int columns, int inner, Func<int, WeightRow> rows, Func<int, float>? bias)
        {
            PackedMatrix matrix;
            if (refreshing)
            {
                matrix = matrices[matrixIndex++];
                matrix.Pack(rows, bias);
            }
            else
            {
                matrix = Own(new PackedMatrix(columns, inner, rows, bias));
                matrices.Add(matrix);
            }
            repacks.Add(() => matrix.Pack(rows, bias));
            return matrix;
        }
        Tensor Get(string name) =>
            parameters.TryGetValue(name, out var t) ? t : throw new InvalidOperationException($"the model has no parameter '{name}'");
        float* Pointer(Tensor t)
        {
            if (!t.is_contiguous())
                throw new InvalidOperationException("weights must be contiguous");
            fixed (byte* p = t.bytes)
                return (float*)p;
        }
        // Pointers are read when a row is packed (not when the mapping is made), so a recorded repack always reads
        // the tensor's current storage.
        Func<int, WeightRow> Rows(Tensor t)
        {
            var width = (int)t.shape[1];
            return row => new WeightRow(Pointer(t) + (long)row * width, width);
        }
        float* Copy(Tensor t)
        {
            NativeBuffer buffer;
            if (refreshing)
            {
                buffer = vectors[vectorIndex++];
            }
            else
            {
                buffer = Own(new NativeBuffer(t.numel()));
                vectors.Add(buffer);
            }
            MemoryMarshal.Cast<byte, float>(t.bytes).CopyTo(buffer.Span);
            repacks.Add(() => MemoryMarshal.Cast<byte, float>(t.bytes).CopyTo(buffer.Span));
            return buffer.Pointer;
        }

        var q = Heads * HeadDim;
        var kv = KvHeads * HeadDim;
        for (var i = 0; i < Layers.Length; i++)
        {
            var prefix = $"model.layers.{i}.";
            var wq = Rows(Get(prefix + "self_attn.q_proj.weight"));
            var wk = Rows(Get(prefix + "self_attn.k_proj.weight"));
            var wv = Rows(Get(prefix + "self_attn.v_proj.weight"));
            var wo = Rows(Get(prefix + "self_attn.o_proj.weight"));
            Tensor? bq = null, bk = null, bv = null;
            if (config.HasAttentionBias)
            {
                bq = Get(prefix + "self_attn.q_proj.bias");
                bk = Get(prefix + "self_attn.k_proj.bias");
                bv = Get(prefix + "self_attn.v_proj.bias");
            }
            // Fused q | k | v columns, no padding between them.
            var qkv = Matrix(q + 2 * kv, Hidden,
                j => j < q ? wq(j) : j < q + kv ? wk(j - q) : j < q + 2 * kv ? wv(j - q - kv) : WeightRow.Zero,
                config.HasAttentionBias ? j => j < q ? Pointer(bq!)[j] : j < q + kv ? Pointer(bk!)[j - q] : j < q + 2 * kv ? Pointer(bv!)[j - q - kv] : 0f : null);
            var output = Matrix(Hidden, q, j => j < Hidden ? wo(j) : WeightRow.Zero, null);

            var gate = Rows(Get(prefix + "mlp.gate_proj.weight"));
            var up = Rows(Get(prefix + "mlp.up_proj.weight"));
            var down = Rows(Get(prefix + "mlp.down_proj.weight"));
            Tensor? bGate = null, bUp = null, bDown = null;
            if (config.MlpBias)
            {
                bGate = Get(prefix + "mlp.gate_proj.bias");
                bUp = Get(prefix + "mlp.up_proj.bias");
                bDown = Get(prefix + "mlp.down_proj.bias");
            }
            // Block c of the fused matrix: gate units [32c, 32c+32) then up units of the same range.
            int Unit(int j) => j / 64 * 32 + j % 32;
            var intermediate = Intermediate;
            var gateUp = Matrix(2 * PaddedIntermediate, Hidden,
                j => Unit(j) >= intermediate ? WeightRow.Zero : j % 64 < 32 ? gate(Unit(j)) : up(Unit(j)),
                config.MlpBias ? j => Unit(j) >= intermediate ? 0f : j % 64 < 32 ? Pointer(bGate!)[Unit(j)] : Pointer(bUp!)[Unit(j)] : null);
            var downMatrix = Matrix(Hidden, PaddedIntermediate, j => j < Hidden ? down(j) : WeightRow.Zero,
                config.MlpBias ? j => j < Hidden ? Pointer(bDown!)[j] : 0f : null);
            Layers[i] = new LayerWeights(
                Copy(Get(prefix + "input_layernorm.weight")),
                Copy(Get(prefix + "post_attention_layernorm.weight")),
                qkv, output, gateUp, downMatrix);
        }
        var embedding = Get("model.embed_tokens.weight");
        Embedding = Copy(embedding);
        FinalNorm = Copy(Get("model.norm.weight"));
        var head = Rows(config.TieWordEmbeddings ? embedding : Get("lm_head.weight"));
        LmHead = Matrix(Vocab, Hidden, j => j < Vocab ? head(j) : WeightRow.Zero, null);
    }

    private T Own<T>(T resource) where T : IDisposable
    {
        owned.Add(resource);
        return resource;
    }

    internal bool Disposed { get; private set; }

    private WorkerPool? pool;

    /// <summary>
    /// The decoder's worker threads (kept between calls, so a generate call starts no thread; idle workers block).
    /// One session at a time may use them.
    /// </summary>
    internal WorkerPool Pool(int threads)
    {
        if (pool is null || pool.Threads != threads)
        {
            pool?.Dispose();
            pool = new WorkerPool(threads);
        }
        return pool;
    }

    public void Dispose()
    {
        Disposed = true;
        pool?.Dispose();
        pool = null;
        foreach (var resource in owned)
            resource.Dispose();
        owned.Clear();
        matrices.Clear();
        vectors.Clear();
    }

    internal sealed class LayerWeights(float* inputNorm, float* postNorm, PackedMatrix qkv, PackedMatrix output, PackedMatrix gateUp, PackedMatrix down)
    {
        public float* InputNorm { get; } = inputNorm;

        public float* PostNorm { get; } = postNorm;

        public PackedMatrix Qkv { get; } = qkv;

        public PackedMatrix Output { get; } = output;

        public PackedMatrix GateUp { get; } = gateUp;

        public PackedMatrix Down { get; } = down;
    }
}
