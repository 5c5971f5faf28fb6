namespace PrunerPipeline.Model.Inference;

/// <summary>One forward's share of a slot: <see cref="Tokens"/> new positions, and whether its last one's logits are wanted.</summary>
internal readonly record struct Segment(int Slot, int Tokens, bool Logits);

/// <summary>
/// Decoding with a <see cref="ManagedDecoder"/> over B slots, each with its own region of a preallocated KV cache, its
/// own filled length and its own positions; rotary tables and work buffers are shared. <see cref="Forward"/> takes any
/// set of (slot, tokens) segments at once (ragged: decoding slots add one token while another slot prefills a chunk of
/// its prompt), which is what continuous batching needs; <see cref="ResetSlot"/> frees a slot for the next request.
/// The static batch API on top of it: <see cref="Prefill"/> left-pads the prompts exactly as <see cref="Generator"/>
/// does (pads are never attended to, positions start at each prompt's first real token), then every <see cref="Step"/>
/// appends one token per row; both return the logits (B, V) of the last position, row stride <see cref="LogitStride"/>.
/// A row's numbers depend only on its own tokens, never on the other rows or on how its prompt was chunked: the GEMM
/// tiles accumulate each row in the same order whatever rows share them (bit for bit on every kernel level
/// and width), attention reads only the row's own cache.
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
    private readonly int[] filled;
    private readonly int[] slotStart;
    private Segment[] jobSegments = [];
    private int[] segmentRows = [];
    private int jobSegmentCount;
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

    /// <param name="batch">slots</param>
    /// <param name="promptLength">the longest prompt (the padded prompt width): one forward takes at most batch × promptLength rows</param>
    /// <param name="capacity">positions the cache holds per slot: promptLength + new tokens</param>
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
        finalNormed = Allocate((long)maxRows * hiddenStride);
        LogitStride = decoder.LmHead.Columns;
        logits = Allocate((long)batch * LogitStride);
        filled = new int[batch];
        slotStart = new int[batch];
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
        work = Work;
    }

    public int Batch => batch;

    public int LogitStride { get; }

    /// <summary>Positions filled in slot 0's cache (the static batch's common length).</summary>
    public int Length => filled[0];

    /// <summary>The most token rows one <see cref="Forward"/> takes.</summary>
    public int MaxRows => maxRows;

    /// <summary>Positions each slot's cache holds.</summary>
    public int Capacity => capacity;

    /// <summary>Positions filled in <paramref name="slot"/>'s cache.</summary>
    public int Filled(int slot) => filled[slot];

    /// <summary>Empties <paramref name="slot"/> for a new sequence (its cache is overwritten as the new one fills it).</summary>
    public void ResetSlot(int slot)
    {
        filled[slot] = 0;
        slotStart[slot] = 0;
    }

    public int Threads => pool.Threads;

    public float* Logits => logits;

    /// <summary>Runs the left-padded prompts through the model; returns the logits of each prompt's last token.</summary>
    public float* Prefill(IReadOnlyList<int[]> prompts)
    {
        if (prompts.Count != batch)
            throw new ArgumentException($"{prompts.Count} prompts for a session of batch {batch}", nameof(prompts));
        if (filled.Any(f => f != 0))
            throw new InvalidOperationException("the session is already prefilled");
        var width = prompts.Max(p => p.Length);
        if (batch * width > maxRows || width > capacity)
            throw new ArgumentException("the prompts are longer than the session was made for", nameof(prompts));
        var ids = new int[batch * width];
        var segments = new Segment[batch];
        for (var b = 0; b < batch; b++)
        {
            var padding = width - prompts[b].Length;
            for (var j = 0; j < width; j++)
            {
                ids[b * width + j] = j < padding ? 0 : prompts[b][j - padding];
            }
            segments[b] = new Segment(b, width, true);
        }
        // Left padding: the row's real keys start at its first real token, whose position is 0.
        for (var b = 0; b < batch; b++)
            slotStart[b] = width - prompts[b].Length;
        Forward(ids, segments);
        return logits;
    }

    /// <summary>Appends one token per row (at each row's next position) and returns the logits after it.</summary>
    public float* Step(ReadOnlySpan<int> tokens)
    {
        if (tokens.Length != batch)
            throw new ArgumentException($"{tokens.Length} tokens for a session of batch {batch}", nameof(tokens));
        if (filled[0] == 0)
            throw new InvalidOperationException("prefill first");
        var segments = new Segment[batch];
        for (var b = 0; b < batch; b++)
            segments[b] = new Segment(b, 1, true);
        Forward(tokens, segments);
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

    /// <summary>Testing: <see cref="Forward"/>, the logit rows copied out.</summary>
    internal float[][] ForwardLogits(int[] ids, Segment[] segments)
    {
        Forward(ids, segments);
        return Enumerable.Range(0, segments.Count(s => s.Logits))
            .Select(b => new ReadOnlySpan<float>(logits + (long)b * LogitStride, decoder.Vocab).ToArray()).ToArray();
    }

    private float[][] CopyLogits() =>
        Enumerable.Range(0, batch).Select(b => new ReadOnlySpan<float>(logits + (long)b * LogitStride, decoder.Vocab).ToArray()).ToArray();

    /// <summary>Runs <paramref name="body"/>(chunk, thread) for chunks [0, <paramref name="count"/>) on the session's threads.</summary>
    public void Run(int count, Action<int, int> body) => pool.Run(count, body);

    /// <summary>
    /// Runs <paramref name="segments"/> (distinct slots) through the model: segment i's <c>Tokens</c> ids, concatenated
    /// in <paramref name="ids"/>, go at its slot's next positions. Returns the logits of the last token of every segment
    /// that asks for them, one row per such segment in order (row stride <see cref="LogitStride"/>).
    /// </summary>
    public float* Forward(ReadOnlySpan<int> ids, ReadOnlySpan<Segment> segments)
    {
        var rows = 0;
        var wanted = 0;
        if (segmentRows.Length < segments.Length + 1)
        {
            segmentRows = new int[segments.Length + 1];
            jobSegments = new Segment[segments.Length];
        }
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if ((uint)segment.Slot >= (uint)batch)
                throw new ArgumentOutOfRangeException(nameof(segments), segment.Slot, $"slot outside [0, {batch})");
            if (segment.Tokens < 1)
                throw new ArgumentException("a segment needs at least one token", nameof(segments));
            if (filled[segment.Slot] + segment.Tokens > capacity)
                throw new InvalidOperationException($"the KV cache holds {capacity} positions per slot");
            for (var other = 0; other < i; other++)
            {
                if (segments[other].Slot == segment.Slot)
                    throw new ArgumentException($"slot {segment.Slot} appears twice in one forward", nameof(segments));
            }
            segmentRows[i] = rows;
            jobSegments[i] = segment;
            rows += segment.Tokens;
            wanted += segment.Logits ? 1 : 0;
        }
        segmentRows[segments.Length] = rows;
        if (rows > maxRows)
            throw new ArgumentException($"{rows} rows for a session made for {maxRows}", nameof(segments));
        if (ids.Length != rows)
            throw new ArgumentException($"{ids.Length} ids for segments of {rows} tokens", nameof(ids));
        if (wanted > batch)
            throw new ArgumentException("more logit rows than slots", nameof(segments));
        jobSegmentCount = segments.Length;
        var h = decoder.Hidden;
        for (var r = 0; r < rows; r++)
        {
            var id = ids[r];
            if ((uint)id >= (uint)decoder.Vocab)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside [0, {decoder.Vocab})");
            decoder.Embed(id, hidden + (long)r * hiddenStride);
        }
        for (var l = 0; l < decoder.Layers.Length; l++)
        {
            var layer = decoder.Layers[l];
            jobLayer = l;
            Norm(hidden, hiddenStride, rows, layer.InputNorm, normed, hiddenStride);
            Gemm(normed, rows, hiddenStride, layer.Qkv, qkv, qkvStride, GemmEpilogue.Store);
            job = Job.Attention;
            pool.Run(segments.Length * decoder.KvHeads, work);
            Gemm(attention, rows, attentionWidth, layer.Output, hidden, hiddenStride, GemmEpilogue.Accumulate);
            Norm(hidden, hiddenStride, rows, layer.PostNorm, normed, hiddenStride);
            Gemm(normed, rows, hiddenStride, layer.GateUp, activation, decoder.PaddedIntermediate, GemmEpilogue.SiluMul);
            Gemm(activation, rows, decoder.PaddedIntermediate, layer.Down, hidden, hiddenStride, GemmEpilogue.Accumulate);
        }
        // Only the last position of each segment that wants logits goes through the final norm and the LM head.
        var row = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            filled[segments[i].Slot] += segments[i].Tokens;
            if (!segments[i].Logits)
                continue;
            var last = hidden + (long)(segmentRows[i + 1] - 1) * hiddenStride;
            Kernels.RmsNorm(last, decoder.FinalNorm, finalNormed + (long)row * hiddenStride, h, decoder.Eps);
            row++;
        }
        if (row > 0)
            Gemm(finalNormed, row, hiddenStride, decoder.LmHead, logits, LogitStride, GemmEpilogue.Store);
        return logits;
    }

    private void Norm(float* x, int xStride, int rows, float* weight, float* y, int yStride)
    {
        SetRowJob(Job.Norm, x, xStride, rows, y, yStride);
        jobWeight = weight;
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
        SetRowJob(Job.Gemm, x, xStride, rows, y, yStride);
        jobMatrix = matrix;
        jobEpilogue = epilogue;
        pool.Run(matrix.Blocks, work);
    }

    /// <summary>The fields a row job (norm or GEMM) reads: <paramref name="rows"/> rows of x in, rows of y out.</summary>
    private void SetRowJob(Job kind, float* x, int xStride, int rows, float* y, int yStride)
    {
        job = kind;
        jobX = x;
        jobXStride = xStride;
        jobRows = rows;
        jobY = y;
        jobYStride = yStride;
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
    /// Rotary + cache write + attention for one (segment, KV head) over the segment's tokens: the KV head's new keys and
    /// values go to the slot's cache, then each of its query heads attends to the slot's real keys up to its own position.
    /// Cache index p of a slot holds position max(0, p − start) (start = its left padding, 0 unless statically batched).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Attend(int segment, int kvHead, float* scratch)
    {
        var d = decoder.HeadDim;
        var half = d / 2;
        var groups = decoder.Heads / decoder.KvHeads;
        var b = jobSegments[segment].Slot;
        var tokens = jobSegments[segment].Tokens;
        var firstRow = segmentRows[segment];
        var past = filled[b];
        var first = slotStart[b];
        var qWidth = decoder.Heads * d;
        var kvWidth = decoder.KvHeads * d;
        var slot = ((long)jobLayer * batch + b) * decoder.KvHeads + kvHead;
        var layerKeys = keys + slot * tiledCapacity * d;
        var layerValues = values + slot * tiledCapacity * d;
        for (var t = 0; t < tokens; t++)
        {
            var row = qkv + (long)(firstRow + t) * qkvStride;
            var position = Math.Max(0, past + t - first);
            var key = row + qWidth + kvHead * d;
            Kernels.Rope(key, cos + (long)position * half, sin + (long)position * half, d);
            Kernels.StoreKey(key, layerKeys, past + t, d);
            new Span<float>(row + qWidth + kvWidth + kvHead * d, d).CopyTo(new Span<float>(layerValues + (long)(past + t) * d, d));
        }
        for (var t = 0; t < tokens; t++)
        {
            var row = qkv + (long)(firstRow + t) * qkvStride;
            var position = Math.Max(0, past + t - first);
            var output = attention + (long)(firstRow + t) * attentionWidth;
            for (var g = 0; g < groups; g++)
                Kernels.Rope(row + (kvHead * groups + g) * d, cos + (long)position * half, sin + (long)position * half, d);
            // Left padding: the row's real keys are [padding, past + t]; a pad query has none and gets zeros.
            var (start, end) = (first, past + t + 1);
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
