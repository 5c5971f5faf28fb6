namespace PrunerPipeline.Model.Inference;

/// <summary>
/// A weight matrix laid out for <see cref="Kernels.Gemm"/>: y (rows, N) = x (rows, K) · Wᵀ + bias, with W's output
/// columns grouped in blocks of <see cref="BlockColumns"/>. Block c holds, for every k, the 64 weights W[c·64 + j, k]
/// next to each other, so a block is one contiguous K × 64 stream and a kernel keeps 64 outputs per row in registers.
/// N is padded to a whole block with zero weights; K may be padded with zero rows too.
/// </summary>
internal sealed unsafe class PackedMatrix : IDisposable
{
    public const int BlockColumns = 64;

    private readonly NativeBuffer weights;
    private readonly WeightRow[] rowScratch = new WeightRow[BlockColumns];
    private readonly NativeBuffer? bias;

    /// <param name="columns">output columns before padding (a multiple of 64 is produced)</param>
    /// <param name="inner">K, the input width the kernel reads (≥ every source row's length)</param>
    /// <param name="sourceRow">for packed output column j: the weight row (length ≤ K, the rest is zero) or null for a zero column</param>
    /// <param name="sourceBias">for packed output column j: its bias</param>
    public PackedMatrix(int columns, int inner, Func<int, WeightRow> sourceRow, Func<int, float>? sourceBias = null)
    {
        Blocks = (columns + BlockColumns - 1) / BlockColumns;
        Inner = inner;
        weights = new NativeBuffer((long)Blocks * BlockColumns * inner);
        if (sourceBias is not null)
            bias = new NativeBuffer((long)Blocks * BlockColumns);
        Pack(sourceRow, sourceBias);
    }

    /// <summary>(Re)writes the packed weights from their source rows: same shape, same memory (no new pages to fault in).</summary>
    public void Pack(Func<int, WeightRow> sourceRow, Func<int, float>? sourceBias)
    {
        if ((sourceBias is null) != (bias is null))
            throw new ArgumentException("the bias must be given exactly when the matrix has one", nameof(sourceBias));
        var inner = Inner;
        var rows = rowScratch;
        for (var block = 0; block < Blocks; block++)
        {
            for (var j = 0; j < BlockColumns; j++)
            {
                rows[j] = sourceRow(block * BlockColumns + j);
                if (rows[j].Length > inner)
                    throw new ArgumentException($"a weight row has {rows[j].Length} values for an input width of {inner}", nameof(sourceRow));
            }
            Transpose(rows, weights.Pointer + (long)block * inner * BlockColumns, inner);
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
            full &= row.Pointer is not null && row.Length == inner;
        if (full)
        {
            var sources = stackalloc float*[BlockColumns];
            for (var j = 0; j < BlockColumns; j++)
                sources[j] = rows[j].Pointer;
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
            var source = rows[j].Pointer;
            var length = source is null ? 0 : rows[j].Length;
            for (var k = 0; k < length; k++)
                destination[(long)k * BlockColumns + j] = source[k];
            for (var k = length; k < inner; k++)
                destination[(long)k * BlockColumns + j] = 0f;
        }
    }

    /// <summary>Blocks of 64 output columns.</summary>
    public int Blocks { get; }

    /// <summary>Padded output width (Blocks · 64).</summary>
    public int Columns => Blocks * BlockColumns;

    /// <summary>K.</summary>
    public int Inner { get; }

    public float* Weights => weights.Pointer;

    /// <summary>Per packed column, or null when the matrix has no bias.</summary>
    public float* Bias => bias is null ? null : bias.Pointer;

    public long Bytes => weights.Length * sizeof(float);

    public void Dispose()
    {
        weights.Dispose();
        bias?.Dispose();
    }
}

/// <summary>A pointer and a length: one weight row in a tensor's memory (null pointer = a zero row).</summary>
internal readonly unsafe struct WeightRow(float* pointer, int length)
{
    public float* Pointer { get; } = pointer;

    public int Length { get; } = length;

    public static WeightRow Zero => default;
}
