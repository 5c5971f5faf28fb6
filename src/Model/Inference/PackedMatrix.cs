namespace PrunerPipeline.Model.Inference;

/// <summary>How a <see cref="PackedMatrix"/> stores its weights (the kernels widen 16-bit weights to float32 in registers).</summary>
internal enum PackedFormat
{
    Float32,
    BFloat16,
    Float16,
}

/// <summary>
/// A weight matrix laid out for <see cref="Kernels.Gemm"/>: y (rows, N) = x (rows, K) · Wᵀ + bias, with W's output
/// columns grouped in blocks of <see cref="BlockColumns"/>. Block c holds, for every k, the 64 weights W[c·64 + j, k]
/// next to each other, so a block is one contiguous K × 64 stream and a kernel keeps 64 outputs per row in registers.
/// N is padded to a whole block with zero weights; K may be padded with zero rows too.
/// <para>
/// 16-bit formats (<see cref="PackedFormat.BFloat16"/>, <see cref="PackedFormat.Float16"/>) halve the bytes a decode
/// step streams. Their 64 weights per k are four groups of 16 (32 bytes, one Vector256): in group g, the 16-bit slot
/// 2i holds column 16g + i and slot 2i + 1 holds column 16g + 8 + i, so reading the group as eight 32-bit lanes, the
/// low halves are columns [16g, 16g+8) and the high halves [16g+8, 16g+16): one shift or one mask per eight weights
/// widens them in order (<see cref="SlotOf"/>).
/// </para>
/// </summary>
internal sealed unsafe class PackedMatrix : IDisposable
{
    public const int BlockColumns = 64;

    /// <summary>Matrices of at least this many weights are packed on the thread pool.</summary>
    private const long ParallelPackElements = 1 << 20;

    private readonly NativeBuffer weights;
    private readonly WeightRow[] rowScratch = new WeightRow[BlockColumns];
    private readonly NativeBuffer? bias;

    /// <param name="columns">output columns before padding (a multiple of 64 is produced)</param>
    /// <param name="inner">K, the input width the kernel reads (≥ every source row's length)</param>
    /// <param name="sourceRow">for packed output column j: the weight row (length ≤ K, the rest is zero) or null for a zero column</param>
    /// <param name="sourceBias">for packed output column j: its bias</param>
    /// <param name="format">how the weights are stored (converted from the source rows' own type: 16-bit by rounding to nearest even)</param>
    public PackedMatrix(int columns, int inner, Func<int, WeightRow> sourceRow, Func<int, float>? sourceBias = null, PackedFormat format = PackedFormat.Float32)
    {
        Blocks = (columns + BlockColumns - 1) / BlockColumns;
        Inner = inner;
        Format = format;
        var elements = (long)Blocks * BlockColumns * inner;
        weights = new NativeBuffer(format == PackedFormat.Float32 ? elements : (elements + 1) / 2);
        if (sourceBias is not null)
            bias = new NativeBuffer((long)Blocks * BlockColumns);
        Pack(sourceRow, sourceBias);
    }

    public PackedFormat Format { get; }

    /// <summary>The 16-bit slot of column j (0..63) within one k's 64 packed weights.</summary>
    public static int SlotOf(int j)
    {
        var group = j / 16;
        var r = j % 16;
        return group * 16 + (r < 8 ? 2 * r : 2 * (r - 8) + 1);
    }

    /// <summary>(Re)writes the packed weights from their source rows: same shape, same memory (no new pages to fault in).</summary>
    public void Pack(Func<int, WeightRow> sourceRow, Func<int, float>? sourceBias)
    {
        if ((sourceBias is null) != (bias is null))
            throw new ArgumentException("the bias must be given exactly when the matrix has one", nameof(sourceBias));
        var inner = Inner;
        void PackBlock(int block, WeightRow[] rows)
        {
            for (var j = 0; j < BlockColumns; j++)
            {
                rows[j] = sourceRow(block * BlockColumns + j);
                if (rows[j].Length > inner)
                    throw new ArgumentException($"a weight row has {rows[j].Length} values for an input width of {inner}", nameof(sourceRow));
            }
            if (Format == PackedFormat.Float32)
                Transpose(rows, weights.Pointer + (long)block * inner * BlockColumns, inner);
            else
                Transpose16(rows, (ushort*)weights.Pointer + (long)block * inner * BlockColumns, inner, Format);
        }
        if ((long)Blocks * inner * BlockColumns < ParallelPackElements)
        {
            for (var block = 0; block < Blocks; block++)
                PackBlock(block, rowScratch);
        }
        else
        {
            // Big matrices (a real-size model re-read before each generate call): blocks are independent.
            Parallel.For(0, Blocks, () => new WeightRow[BlockColumns], (block, _, rows) =>
            {
                PackBlock(block, rows);
                return rows;
            }, _ => { });
        }
        if (sourceBias is not null)
        {
            for (var j = 0; j < Blocks * BlockColumns; j++)
                bias!.Pointer[j] = sourceBias(j);
        }
    }

    /// <summary>destination[k·64 + j] = rows[j][k]: 64 source rows read in step, the block written in order.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(WeightRow[] rows, float* destination, int inner)
    {
        var full = true;
        foreach (var row in rows)
            full &= row.Pointer is not null && row.Length == inner && row.Type == PackedFormat.Float32;
        if (full)
        {
            var sources = stackalloc float*[BlockColumns];
            for (var j = 0; j < BlockColumns; j++)
                sources[j] = (float*)rows[j].Pointer;
            var length = rows[0].Length;
            for (var k = 0; k < length; k++, destination += BlockColumns)
            {
                for (var j = 0; j < BlockColumns; j++)
                    destination[j] = sources[j][k];
            }
            return;
        }
        for (var j = 0; j < BlockColumns; j++)
        {
            var row = rows[j];
            var length = row.Pointer is null ? 0 : row.Length;
            for (var k = 0; k < length; k++)
                destination[(long)k * BlockColumns + j] = row[k];
            for (var k = length; k < inner; k++)
                destination[(long)k * BlockColumns + j] = 0f;
        }
    }

    /// <summary>The 16-bit layout (see the class remarks): destination[k·64 + SlotOf(j)] = rows[j][k] in <paramref name="format"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Transpose16(WeightRow[] rows, ushort* destination, int inner, PackedFormat format)
    {
        var full = true;
        foreach (var row in rows)
            full &= row.Pointer is not null && row.Length == inner && row.Type == format;
        if (full)
        {
            // Same 16-bit type as the checkpoint: the bits are copied, nothing is rounded.
            var sources = stackalloc ushort*[BlockColumns];
            for (var j = 0; j < BlockColumns; j++)
                sources[SlotOf(j)] = (ushort*)rows[j].Pointer;
            for (var k = 0; k < inner; k++, destination += BlockColumns)
            {
                for (var s = 0; s < BlockColumns; s++)
                    destination[s] = sources[s][k];
            }
            return;
        }
        for (var j = 0; j < BlockColumns; j++)
        {
            var row = rows[j];
            var slot = SlotOf(j);
            var length = row.Pointer is null ? 0 : row.Length;
            for (var k = 0; k < length; k++)
                destination[(long)k * BlockColumns + slot] = row.Bits16(k, format);
            for (var k = length; k < inner; k++)
                destination[(long)k * BlockColumns + slot] = 0;
        }
    }

    /// <summary>Blocks of 64 output columns.</summary>
    public int Blocks { get; }

    /// <summary>Padded output width (Blocks · 64).</summary>
    public int Columns => Blocks * BlockColumns;

    /// <summary>K.</summary>
    public int Inner { get; }

    /// <summary>Float32 weights (only when <see cref="Format"/> is Float32).</summary>
    public float* Weights => weights.Pointer;

    /// <summary>16-bit weights (only when <see cref="Format"/> is BFloat16 or Float16).</summary>
    public ushort* Weights16 => (ushort*)weights.Pointer;

    /// <summary>Per packed column, or null when the matrix has no bias.</summary>
    public float* Bias => bias is null ? null : bias.Pointer;

    public long Bytes => (long)Blocks * BlockColumns * Inner * (Format == PackedFormat.Float32 ? sizeof(float) : sizeof(ushort));

    /// <summary>W[column, k] as float32 (what the kernels multiply by).</summary>
    public float At(int column, int k)
    {
        var block = column / BlockColumns;
        var j = column % BlockColumns;
        var offset = ((long)block * Inner + k) * BlockColumns;
        return Format switch
        {
            PackedFormat.Float32 => weights.Pointer[offset + j],
            PackedFormat.BFloat16 => Numbers.FromBFloat16(Weights16[offset + SlotOf(j)]),
            _ => Numbers.FromHalf(Weights16[offset + SlotOf(j)]),
        };
    }

    /// <summary>Row <paramref name="column"/> of W (K values) as float32: the embedding lookup of a tied LM head.</summary>
    public void ReadColumn(int column, float* destination, int count)
    {
        var block = column / BlockColumns;
        var j = column % BlockColumns;
        var start = (long)block * Inner * BlockColumns;
        switch (Format)
        {
            case PackedFormat.Float32:
            {
                var source = weights.Pointer + start + j;
                for (var k = 0; k < count; k++, source += BlockColumns)
                    destination[k] = *source;
                break;
            }
            case PackedFormat.BFloat16:
            {
                var source = Weights16 + start + SlotOf(j);
                for (var k = 0; k < count; k++, source += BlockColumns)
                    destination[k] = Numbers.FromBFloat16(*source);
                break;
            }
            default:
            {
                var source = Weights16 + start + SlotOf(j);
                for (var k = 0; k < count; k++, source += BlockColumns)
                    destination[k] = Numbers.FromHalf(*source);
                break;
            }
        }
    }

    public void Dispose()
    {
        weights.Dispose();
        bias?.Dispose();
    }
}

/// <summary>A pointer, a length and an element type: one weight row in a tensor's memory (null pointer = a zero row).</summary>
internal readonly unsafe struct WeightRow(void* pointer, int length, PackedFormat type = PackedFormat.Float32)
{
    public void* Pointer { get; } = pointer;

    public int Length { get; } = length;

    public PackedFormat Type { get; } = type;

    public static WeightRow Zero => default;

    /// <summary>Element k as float32.</summary>
    public float this[int k] => Type switch
    {
        PackedFormat.Float32 => ((float*)Pointer)[k],
        PackedFormat.BFloat16 => Numbers.FromBFloat16(((ushort*)Pointer)[k]),
        _ => Numbers.FromHalf(((ushort*)Pointer)[k]),
    };

    /// <summary>Element k in 16-bit <paramref name="format"/>: the bits themselves when the row already has that type, else rounded to nearest even.</summary>
    public ushort Bits16(int k, PackedFormat format) =>
        Type == format ? ((ushort*)Pointer)[k]
        : format == PackedFormat.BFloat16 ? Numbers.ToBFloat16(this[k])
        : BitConverter.HalfToUInt16Bits((Half)this[k]);
}

/// <summary>16-bit float conversions (bfloat16 = the top half of a float32; IEEE half via <see cref="Half"/>).</summary>
internal static class Numbers
{
    public static float FromBFloat16(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    public static float FromHalf(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>Round to nearest even (NaN stays NaN), as torch's float → bfloat16 conversion does.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x40);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
