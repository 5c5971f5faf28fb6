namespace PrunerPipeline.Model.Inference;

/// <summary>
/// One batch's decoding with a <see cref="ManagedDecoder"/>: its own preallocated KV cache, rotary tables and work
/// buffers. Prompts are left-padded exactly as <see cref="Generator"/> does (pads are never attended to, positions
/// start at each prompt's first real token); <see cref="Prefill"/> runs the prompts, then every <see cref="Step"/>
/// appends one token per row. Both return the logits (B, V) of the last position, row stride <see cref="LogitStride"/>.
/// </summary>
internal sealed unsafe class DecodeSession : IDisposable
{
    private enum Job
    {
        Norm,
        Gemm,
        Attention,
    }

    private readonly ManagedDecoder decoder;
    private readonly WorkerPool pool;
    private readonly Action<int, int> work;
    private readonly List<NativeBuffer> buffers = [];
    private readonly int batch;
    private readonly int capacity;
    private readonly int tiledCapacity;
    private readonly int maxRows;
    private readonly int hiddenStride;
    private readonly int qkvStride;
    private readonly int attentionWidth;
    private readonly float scale;
    private readonly float* hidden;
    private readonly float* normed;
    private readonly float* qkv;
    private readonly float* attention;
    private readonly float* activation;
    private readonly float* finalNormed;
    private readonly float* logits;
    private readonly float* keys;
    private readonly float* values;
    private readonly float* cos;
    private readonly float* sin;
    private readonly float* scores;
    private readonly int[] padding;
    private readonly int[] nextPosition;
    private int length;

    // The current parallel job's arguments (set by the caller thread before pool.Run).
    private Job job;
    private float* jobX;
    private float* jobY;
    private float* jobWeight;
    private int jobRows;
    private int jobXStride;
    private int jobYStride;
    private PackedMatrix? jobMatrix;
    private GemmEpilogue jobEpilogue;
    private int jobLayer;
    private int jobTokens;
    private bool jobPrefill;

    /// <param name="promptLength">the longest prompt (the padded prompt width)</param>
    /// <param name="capacity">positions the cache holds: promptLength + new tokens</param>
    public DecodeSession(ManagedDecoder decoder, int batch, int promptLength, int capacity, int threads)
    {
        this.decoder = decoder;
        this.batch = batch;
        this.capacity = capacity;
        maxRows = batch * Math.Max(1, promptLength);
        hiddenStride = RoundUp(decoder.Hidden, PackedMatrix.BlockColumns);
        qkvStride = decoder.Layers[0].Qkv.Columns;
        attentionWidth = decoder.Heads * decoder.HeadDim;
        scale = 1f / MathF.Sqrt(decoder.HeadDim);
        hidden = Allocate((long)maxRows * hiddenStride);
        normed = Allocate((long)maxRows * hiddenStride);
        qkv = Allocate((long)maxRows * qkvStride);
        attention = Allocate((long)maxRows * attentionWidth);
        activation = Allocate((long)maxRows * decoder.PaddedIntermediate);
        finalNormed = Allocate((long)batch * hiddenStride);
        LogitStride = decoder.LmHead.Columns;
        logits = Allocate((long)batch * LogitStride);
        // Keys are stored in tiles of 16 positions (transposed within a tile), so the key cache rounds capacity up.
        tiledCapacity = RoundUp(capacity, Kernels.KeyTile);
        var cacheSize = (long)decoder.Layers.Length * batch * decoder.KvHeads * tiledCapacity * decoder.HeadDim;
        keys = Allocate(cacheSize);
        values = Allocate(cacheSize);
        var half = decoder.HeadDim / 2;
        cos = Allocate((long)capacity * half);
        sin = Allocate((long)capacity * half);
        for (var p = 0; p < capacity; p++)
        {
            for (var i = 0; i < half; i++)
            {
                // float32 position × float32 inverse frequency, as the TorchSharp rotary embedding computes it.
                var angle = p * decoder.InverseFrequencies[i];
                cos[(long)p * half + i] = MathF.Cos(angle);
                sin[(long)p * half + i] = MathF.Sin(angle);
            }
        }
        pool = decoder.Pool(threads);
        scores = Allocate((long)pool.Threads * 2 * tiledCapacity);
        padding = new int[batch];
        nextPosition = new int[batch];
        work = Work;
    }

    public int Batch => batch;

    public int LogitStride { get; }

    /// <summary>Positions filled in the cache.</summary>
    public int Length => length;

    public int Threads => pool.Threads;

    public float* Logits => logits;

    /// <summary>Runs the left-padded prompts through the model; returns the logits of each prompt's last token.</summary>
    public float* Prefill(IReadOnlyList<int[]> prompts)
    {
        if (prompts.Count != batch)
            throw new ArgumentException($"{prompts.Count} prompts for a session of batch {batch}", nameof(prompts));
        if (length != 0)
            throw new InvalidOperationException("the session is already prefilled");
        var width = prompts.Max(p => p.Length);
        if (batch * width > maxRows || width > capacity)
            throw new ArgumentException("the prompts are longer than the session was made for", nameof(prompts));
        var ids = new int[batch * width];
        for (var b = 0; b < batch; b++)
        {
            padding[b] = width - prompts[b].Length;
            nextPosition[b] = prompts[b].Length;
            for (var j = 0; j < width; j++)
            {
                ids[b * width + j] = j < padding[b] ? 0 : prompts[b][j - padding[b]];
            }
        }
        Forward(ids, width, prefill: true);
        return logits;
    }

    /// <summary>Appends one token per row (at each row's next position) and returns the logits after it.</summary>
    public float* Step(ReadOnlySpan<int> tokens)
    {
        if (tokens.Length != batch)
            throw new ArgumentException($"{tokens.Length} tokens for a session of batch {batch}", nameof(tokens));
        if (length == 0)
            throw new InvalidOperationException("prefill first");
        if (length >= capacity)
            throw new InvalidOperationException($"the KV cache holds {capacity} positions");
        Forward(tokens, 1, prefill: false);
        for (var b = 0; b < batch; b++)
            nextPosition[b]++;
        return logits;
    }

    /// <summary>Testing: <see cref="Prefill"/>, logits copied out as (B)(V).</summary>
    internal float[][] PrefillLogits(IReadOnlyList<int[]> prompts)
    {
        Prefill(prompts);
        return CopyLogits();
    }

    /// <summary>Testing: <see cref="Step"/>, logits copied out as (B)(V).</summary>
    internal float[][] StepLogits(int[] tokens)
    {
        Step(tokens);
        return CopyLogits();
    }

    private float[][] CopyLogits() =>
        Enumerable.Range(0, batch).Select(b => new ReadOnlySpan<float>(logits + (long)b * LogitStride, decoder.Vocab).ToArray()).ToArray();

    /// <summary>Runs <paramref name="body"/>(chunk, thread) for chunks [0, <paramref name="count"/>) on the session's threads.</summary>
    public void Run(int count, Action<int, int> body) => pool.Run(count, body);

    private void Forward(ReadOnlySpan<int> ids, int tokens, bool prefill)
    {
        var rows = batch * tokens;
        var h = decoder.Hidden;
        for (var r = 0; r < rows; r++)
        {
            var id = ids[r];
            if ((uint)id >= (uint)decoder.Vocab)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside [0, {decoder.Vocab})");
            new Span<float>(decoder.Embedding + (long)id * h, h).CopyTo(new Span<float>(hidden + (long)r * hiddenStride, h));
        }
        jobTokens = tokens;
        jobPrefill = prefill;
        for (var l = 0; l < decoder.Layers.Length; l++)
        {
            var layer = decoder.Layers[l];
            jobLayer = l;
            Norm(hidden, hiddenStride, rows, layer.InputNorm, normed, hiddenStride);
            Gemm(normed, rows, hiddenStride, layer.Qkv, qkv, qkvStride, GemmEpilogue.Store);
            job = Job.Attention;
            pool.Run(batch * decoder.KvHeads, work);
            Gemm(attention, rows, attentionWidth, layer.Output, hidden, hiddenStride, GemmEpilogue.Accumulate);
            Norm(hidden, hiddenStride, rows, layer.PostNorm, normed, hiddenStride);
            Gemm(normed, rows, hiddenStride, layer.GateUp, activation, decoder.PaddedIntermediate, GemmEpilogue.SiluMul);
            Gemm(activation, rows, decoder.PaddedIntermediate, layer.Down, hidden, hiddenStride, GemmEpilogue.Accumulate);
        }
        length += tokens;
        // Only each row's last position goes through the final norm and the LM head.
        var last = hidden + (long)(tokens - 1) * hiddenStride;
        Norm(last, tokens * hiddenStride, batch, decoder.FinalNorm, finalNormed, hiddenStride);
        Gemm(finalNormed, batch, hiddenStride, decoder.LmHead, logits, LogitStride, GemmEpilogue.Store);
    }

    private void Norm(float* x, int xStride, int rows, float* weight, float* y, int yStride)
    {
        job = Job.Norm;
        jobX = x;
        jobXStride = xStride;
        jobRows = rows;
        jobWeight = weight;
        jobY = y;
        jobYStride = yStride;
        if (rows * decoder.Hidden < 16_384)
        {
            for (var r = 0; r < rows; r++)
                Kernels.RmsNorm(x + (long)r * xStride, weight, y + (long)r * yStride, decoder.Hidden, decoder.Eps);
        }
        else
        {
            pool.Run((rows + NormRows - 1) / NormRows, work);
        }
    }

    private void Gemm(float* x, int rows, int xStride, PackedMatrix matrix, float* y, int yStride, GemmEpilogue epilogue)
    {
        job = Job.Gemm;
        jobX = x;
        jobRows = rows;
        jobXStride = xStride;
        jobMatrix = matrix;
        jobY = y;
        jobYStride = yStride;
        jobEpilogue = epilogue;
        pool.Run(matrix.Blocks, work);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    /// <summary>One chunk of the current job: <see cref="NormRows"/> rows, a GEMM column block, or a (row, KV head) attention item.</summary>
    private void Work(int chunk, int thread)
    {
        switch (job)
        {
            case Job.Norm:
            {
                var end = Math.Min(jobRows, (chunk + 1) * NormRows);
                for (var r = chunk * NormRows; r < end; r++)
                    Kernels.RmsNorm(jobX + (long)r * jobXStride, jobWeight, jobY + (long)r * jobYStride, decoder.Hidden, decoder.Eps);
                break;
            }
            case Job.Gemm:
                Kernels.Gemm(jobX, jobRows, jobXStride, jobMatrix!, jobY, jobYStride, jobEpilogue, chunk, chunk + 1);
                break;
            case Job.Attention:
                Attend(chunk / decoder.KvHeads, chunk % decoder.KvHeads, scores + (long)thread * 2 * tiledCapacity);
                break;
        }
    }

    /// <summary>
    /// Rotary + cache write + attention for one (row, KV head) over this call's tokens: the KV head's new keys and
    /// values go to the cache, then each of its query heads attends to the row's real keys up to its own position.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Attend(int b, int kvHead, float* scratch)
    {
        var d = decoder.HeadDim;
        var half = d / 2;
        var groups = decoder.Heads / decoder.KvHeads;
        var tokens = jobTokens;
        var past = length;
        var qWidth = decoder.Heads * d;
        var kvWidth = decoder.KvHeads * d;
        var slot = ((long)jobLayer * batch + b) * decoder.KvHeads + kvHead;
        var layerKeys = keys + slot * tiledCapacity * d;
        var layerValues = values + slot * tiledCapacity * d;
        for (var t = 0; t < tokens; t++)
        {
            var row = qkv + (long)(b * tokens + t) * qkvStride;
            var position = jobPrefill ? Math.Max(0, t - padding[b]) : nextPosition[b];
            var key = row + qWidth + kvHead * d;
            Kernels.Rope(key, cos + (long)position * half, sin + (long)position * half, d);
            Kernels.StoreKey(key, layerKeys, past + t, d);
            new Span<float>(row + qWidth + kvWidth + kvHead * d, d).CopyTo(new Span<float>(layerValues + (long)(past + t) * d, d));
        }
        for (var t = 0; t < tokens; t++)
        {
            var row = qkv + (long)(b * tokens + t) * qkvStride;
            var position = jobPrefill ? Math.Max(0, t - padding[b]) : nextPosition[b];
            var output = attention + (long)(b * tokens + t) * attentionWidth;
            for (var g = 0; g < groups; g++)
                Kernels.Rope(row + (kvHead * groups + g) * d, cos + (long)position * half, sin + (long)position * half, d);
            // Left padding: the row's real keys are [padding, past + t]; a pad query has none and gets zeros.
            var (start, end) = (padding[b], past + t + 1);
            var g0 = 0;
            if (Kernels.Level == KernelLevel.Vector512 && d % 16 == 0)
            {
                for (; g0 + 2 <= groups; g0 += 2)
                {
                    var head = kvHead * groups + g0;
                    Kernels.AttendPair512(row + head * d, row + (head + 1) * d, layerKeys, layerValues, d, start, end, scale,
                        scratch, tiledCapacity, output + head * d, output + (head + 1) * d);
                }
            }
            for (; g0 < groups; g0++)
            {
                var head = kvHead * groups + g0;
                Kernels.AttendTiled(row + head * d, layerKeys, layerValues, d, start, end, scale, scratch, output + head * d);
            }
        }
    }

    private const int NormRows = 32;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private float* Allocate(long length)
    {
        var buffer = new NativeBuffer(length);
        buffers.Add(buffer);
        return buffer.Pointer;
    }

    public void Dispose()
    {
        foreach (var buffer in buffers)
            buffer.Dispose();
        buffers.Clear();
    }
}
