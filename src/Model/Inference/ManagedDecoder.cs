using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Inference;

/// <summary>
/// A snapshot of a <see cref="CausalLM"/>'s weights in the managed decode engine's layout: q/k/v fused into
/// one packed matrix, gate/up into another (interleaved so one GEMM tile yields silu(gate)·up), every matrix in
/// <see cref="PackedMatrix"/> blocks in 64-byte aligned native memory freed on <see cref="Dispose"/>.
/// It is a copy: weights changed after <see cref="From"/> (a training step) are not seen until <see cref="Refresh"/>.
/// <see cref="Generator.Generate"/> re-reads the weights on every call (into a snapshot kept per model instance and
/// reused, so no new memory is touched), which costs a few milliseconds for a ~10M model.
/// <para>
/// Matrices are stored in <see cref="Format"/>: by default the parameters' own dtype (float32 stays float32; bfloat16
/// and float16 parameters are packed as 16-bit, their bits copied, so no float32 copy of the model is ever made), or
/// the precision asked for (float32 weights rounded to bfloat16 to nearest even, 16-bit weights widened). Norm weights
/// and biases are float32 in every format. A tied LM head doubles as the embedding table (looked up by column).
/// </para>
/// </summary>
public sealed unsafe class ManagedDecoder : IDisposable
{
    private readonly List<IDisposable> owned = [];

    private ManagedDecoder(ModelConfig config, PackedFormat format)
    {
        Format = format;
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

    /// <summary>How the matrices are stored.</summary>
    internal PackedFormat Format { get; }

    /// <summary>The stored precision as the CLI and benchmarks name it (f32, bf16, f16).</summary>
    public string DtypeName => NameOf(Format);

    internal static string NameOf(PackedFormat format) => format switch
    {
        PackedFormat.BFloat16 => "bf16",
        PackedFormat.Float16 => "f16",
        _ => "f32",
    };

    /// <summary>
    /// The format a snapshot of <paramref name="model"/> gets for <paramref name="precision"/>: Auto = the dtype of the
    /// model's matrices (its embedding's), float32 for anything that is not 16-bit.
    /// </summary>
    internal static PackedFormat FormatFor(CausalLM model, WeightPrecision precision) => precision switch
    {
        WeightPrecision.F32 => PackedFormat.Float32,
        WeightPrecision.BF16 => PackedFormat.BFloat16,
        WeightPrecision.F16 => PackedFormat.Float16,
        _ => model.Module.named_parameters().First(p => p.name == "model.embed_tokens.weight").parameter.dtype switch
        {
            ScalarType.BFloat16 => PackedFormat.BFloat16,
            ScalarType.Float16 => PackedFormat.Float16,
            _ => PackedFormat.Float32,
        },
    };

    private static PackedFormat? TypeOf(ScalarType type) => type switch
    {
        ScalarType.Float32 => PackedFormat.Float32,
        ScalarType.BFloat16 => PackedFormat.BFloat16,
        ScalarType.Float16 => PackedFormat.Float16,
        _ => null,
    };

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

    /// <summary>Untied models: (V, hidden) row-major in <see cref="Format"/>'s element type (a tied model reads the LM head).</summary>
    private void* embedding;

    /// <summary>Writes token <paramref name="id"/>'s embedding (hidden floats) to <paramref name="destination"/>.</summary>
    internal void Embed(int id, float* destination)
    {
        var h = Hidden;
        if (embedding is null)
        {
            LmHead.ReadColumn(id, destination, h);
            return;
        }
        switch (Format)
        {
            case PackedFormat.Float32:
                new Span<float>((float*)embedding + (long)id * h, h).CopyTo(new Span<float>(destination, h));
                break;
            case PackedFormat.BFloat16:
            {
                var row = (ushort*)embedding + (long)id * h;
                for (var k = 0; k < h; k++)
                    destination[k] = Numbers.FromBFloat16(row[k]);
                break;
            }
            default:
            {
                var row = (ushort*)embedding + (long)id * h;
                for (var k = 0; k < h; k++)
                    destination[k] = Numbers.FromHalf(row[k]);
                break;
            }
        }
    }

    internal float* FinalNorm { get; private set; }

    internal PackedMatrix LmHead { get; private set; } = null!;

    /// <summary>Bytes of weights one decode step streams (every packed matrix once).</summary>
    public long StreamedBytes => Layers.Sum(l => l.Qkv.Bytes + l.Output.Bytes + l.GateUp.Bytes + l.Down.Bytes) + LmHead.Bytes;

    /// <summary>Whether <paramref name="model"/> can be decoded by this engine: on the CPU with float32, bfloat16 or float16 weights.</summary>
    public static bool Supports(CausalLM model, out string reason)
    {
        if (model.Device.type != DeviceType.CPU)
        {
            reason = $"the model is on {model.Device.type}, the managed engine runs on the CPU";
            return false;
        }
        foreach (var (name, parameter) in model.Module.named_parameters())
        {
            if (TypeOf(parameter.dtype) is null)
            {
                reason = $"{name} is {parameter.dtype}, the managed engine needs float32, bfloat16 or float16";
                return false;
            }
        }
        reason = "";
        return true;
    }

    /// <summary>Copies <paramref name="model"/>'s current weights into the engine's layout, stored as <paramref name="precision"/> says.</summary>
    public static ManagedDecoder From(CausalLM model, WeightPrecision precision = WeightPrecision.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Supports(model, out var reason))
            throw new NotSupportedException(reason);
        var decoder = new ManagedDecoder(model.Config, FormatFor(model, precision));
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
        if (!ReferenceEquals(model, source) || parameters is null || parameters.Values.Any(p => p.IsInvalid))
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
        if (parameters.Values.Any(p => p.IsInvalid))
        {
            // The module's parameters were replaced (e.g. module.to(dtype)): judge the model as it is now.
            parameters = null;
            return Supports(source, out reason);
        }
        foreach (var (name, parameter) in parameters)
        {
            if (TypeOf(parameter.dtype) is null || parameter.device_type != DeviceType.CPU)
            {
                reason = $"{name} is {parameter.dtype} on {parameter.device_type}, the managed engine needs float32, bfloat16 or float16 on the CPU";
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
                matrix = Own(new PackedMatrix(columns, inner, rows, bias, Format));
                matrices.Add(matrix);
            }
            repacks.Add(() => matrix.Pack(rows, bias));
            return matrix;
        }
        Tensor Get(string name) =>
            parameters.TryGetValue(name, out var t) ? t : throw new InvalidOperationException($"the model has no parameter '{name}'");
        byte* Pointer(Tensor t)
        {
            if (!t.is_contiguous())
                throw new InvalidOperationException("weights must be contiguous");
            fixed (byte* p = t.bytes)
                return p;
        }
        PackedFormat Type(Tensor t) => TypeOf(t.dtype) ?? throw new NotSupportedException($"a {t.dtype} weight");
        // One element of a vector (a bias) as float32, whatever its dtype.
        float At(Tensor t, int index) => new WeightRow(Pointer(t), (int)t.numel(), Type(t))[index];
        // Pointers are read when a row is packed (not when the mapping is made), so a recorded repack always reads
        // the tensor's current storage.
        Func<int, WeightRow> Rows(Tensor t)
        {
            var width = (int)t.shape[1];
            var type = Type(t);
            var size = type == PackedFormat.Float32 ? 4 : 2;
            return row => new WeightRow(Pointer(t) + (long)row * width * size, width, type);
        }
        void CopyVector(Tensor t, NativeBuffer buffer)
        {
            if (Type(t) == PackedFormat.Float32)
            {
                MemoryMarshal.Cast<byte, float>(t.bytes).CopyTo(buffer.Span);
                return;
            }
            var source = new WeightRow(Pointer(t), (int)t.numel(), Type(t));
            for (var i = 0; i < source.Length; i++)
                buffer.Pointer[i] = source[i];
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
            CopyVector(t, buffer);
            repacks.Add(() => CopyVector(t, buffer));
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
                config.HasAttentionBias ? j => j < q ? At(bq!, j) : j < q + kv ? At(bk!, j - q) : j < q + 2 * kv ? At(bv!, j - q - kv) : 0f : null);
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
                config.MlpBias ? j => Unit(j) >= intermediate ? 0f : j % 64 < 32 ? At(bGate!, Unit(j)) : At(bUp!, Unit(j)) : null);
            var downMatrix = Matrix(Hidden, PaddedIntermediate, j => j < Hidden ? down(j) : WeightRow.Zero,
                config.MlpBias ? j => j < Hidden ? At(bDown!, j) : 0f : null);
            Layers[i] = new LayerWeights(
                Copy(Get(prefix + "input_layernorm.weight")),
                Copy(Get(prefix + "post_attention_layernorm.weight")),
                qkv, output, gateUp, downMatrix);
        }
        var embeddingWeight = Get("model.embed_tokens.weight");
        FinalNorm = Copy(Get("model.norm.weight"));
        var head = Rows(config.TieWordEmbeddings ? embeddingWeight : Get("lm_head.weight"));
        LmHead = Matrix(Vocab, Hidden, j => j < Vocab ? head(j) : WeightRow.Zero, null);
        if (!config.TieWordEmbeddings)
            embedding = CopyEmbedding(embeddingWeight, Rows(embeddingWeight), refreshing ? vectors[vectorIndex++] : null);

        // The embedding table of an untied model, row-major in the snapshot's element type.
        void* CopyEmbedding(Tensor t, Func<int, WeightRow> rows, NativeBuffer? existing)
        {
            var elements = (long)Vocab * Hidden;
            var buffer = existing ?? Own(new NativeBuffer(Format == PackedFormat.Float32 ? elements : (elements + 1) / 2));
            if (existing is null)
                vectors.Add(buffer);
            var format = Format;
            var hidden = Hidden;
            var vocab = Vocab;
            void Fill()
            {
                if (Type(t) == format)
                {
                    var bytes = t.bytes;
                    fixed (byte* source = bytes)
                        Buffer.MemoryCopy(source, buffer.Pointer, bytes.Length, bytes.Length);
                    return;
                }
                for (var v = 0; v < vocab; v++)
                {
                    var row = rows(v);
                    if (format == PackedFormat.Float32)
                    {
                        var destination = buffer.Pointer + (long)v * hidden;
                        for (var k = 0; k < hidden; k++)
                            destination[k] = row[k];
                    }
                    else
                    {
                        var destination = (ushort*)buffer.Pointer + (long)v * hidden;
                        for (var k = 0; k < hidden; k++)
                            destination[k] = row.Bits16(k, format);
                    }
                }
            }
            Fill();
            repacks.Add(Fill);
            return buffer.Pointer;
        }
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
