using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PrunerPipeline.Model.Inference;

/// <summary>Which instruction set the kernels use: the widest the CPU accelerates, lowered by tests to check the fallbacks.</summary>
internal enum KernelLevel
{
    Scalar,
    Vector256,
    Vector512,
}

/// <summary>What a GEMM does with the 64 outputs of a block.</summary>
internal enum GemmEpilogue
{
    /// <summary>y = x·Wᵀ + bias.</summary>
    Store,

    /// <summary>y += x·Wᵀ + bias (the residual add fused into the projection).</summary>
    Accumulate,

    /// <summary>
    /// The block's columns are 32 gate then 32 up outputs of the same 32 intermediate units; writes
    /// silu(gate)·up to y[row, block·32 + j] (y has Blocks·32 columns).
    /// </summary>
    SiluMul,
}

/// <summary>
/// The managed decoder's numeric kernels on raw float pointers: register-blocked GEMM over <see cref="PackedMatrix"/>,
/// RMSNorm, rotary, attention over a KV cache, softmax helpers. Vector512 where the CPU accelerates it, Vector256 + FMA
/// otherwise, scalar as the last resort; all three compute the same function (up to float rounding order).
/// </summary>
internal static unsafe class Kernels
{
    private static KernelLevel level = Detect();

    public static KernelLevel Level
    {
        get => level;
        set => level = value > Detect() ? Detect() : value;
    }

    public static KernelLevel Detect() =>
        Vector512.IsHardwareAccelerated ? KernelLevel.Vector512
        : Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported ? KernelLevel.Vector256
        : KernelLevel.Scalar;

    // ---------------------------------------------------------------- GEMM

    /// <summary>
    /// Output blocks [<paramref name="blockStart"/>, <paramref name="blockEnd"/>) of y (rows, ·) = x (rows, K) · Wᵀ (+ bias),
    /// finished as <paramref name="epilogue"/> says. One set of tiles serves every weight format: <see cref="IPanel"/>
    /// says how a format's 64 weights of one k are loaded (float32 as they are, 16-bit widened in registers right after
    /// the load) and how its accumulators map back to columns; the FMA schedule is the tiles' own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gemm(float* x, int rows, int xStride, PackedMatrix w, float* y, int yStride, GemmEpilogue epilogue, int blockStart, int blockEnd)
    {
        switch (w.Format)
        {
            case PackedFormat.Float32:
                Gemm<Float32Panel>(x, rows, xStride, w, y, yStride, epilogue, blockStart, blockEnd);
                break;
            case PackedFormat.BFloat16:
                Gemm<Panel16<BFloat16Widening>>(x, rows, xStride, w, y, yStride, epilogue, blockStart, blockEnd);
                break;
            default:
                Gemm<Panel16<HalfWidening>>(x, rows, xStride, w, y, yStride, epilogue, blockStart, blockEnd);
                break;
        }
    }

    /// <summary>
    /// Rows go four at a time against the block's 64 columns on AVX-512 (then one at a time), two at a time against 32
    /// columns on AVX2 (then one row against all 64), one at a time in scalar code. Every tile accumulates each column
    /// in the same order from the same start, so a row's numbers do not depend on how many rows share its tile:
    /// continuous batching and one-at-a-time decoding agree bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm<TPanel>(float* x, int rows, int xStride, PackedMatrix w, float* y, int yStride, GemmEpilogue epilogue, int blockStart, int blockEnd)
        where TPanel : struct, IPanel
    {
        var k = w.Inner;
        var tile = stackalloc float[4 * PackedMatrix.BlockColumns];
        for (var block = blockStart; block < blockEnd; block++)
        {
            var panel = (byte*)w.Weights + (long)block * k * TPanel.StepBytes;
            var bias = w.Bias is null ? null : w.Bias + block * PackedMatrix.BlockColumns;
            var output = y + (epilogue == GemmEpilogue.SiluMul ? block * 32 : block * PackedMatrix.BlockColumns);
            var row = 0;
            switch (level)
            {
                case KernelLevel.Vector512:
                    // The microkernels only accumulate (an epilogue inside them makes the JIT spill accumulators);
                    // bias, residual add and silu·up are applied from the raw tile afterwards.
                    for (; row + 4 <= rows; row += 4)
                    {
                        Tile4x64<TPanel>(x + (long)row * xStride, xStride, panel, k, tile);
                        Finish512(tile, 4, bias, output + (long)row * yStride, yStride, epilogue);
                    }
                    for (; row < rows; row++)
                    {
                        Tile1x64<TPanel>(x + (long)row * xStride, panel, k, tile);
                        Finish512(tile, 1, bias, output + (long)row * yStride, yStride, epilogue);
                    }
                    break;
                case KernelLevel.Vector256:
                    for (; row + 2 <= rows; row += 2)
                    {
                        Tile2x32Avx<TPanel>(x + (long)row * xStride, xStride, panel, k, bias, output + (long)row * yStride, yStride, epilogue, 0);
                        Tile2x32Avx<TPanel>(x + (long)row * xStride, xStride, panel, k, bias, output + (long)row * yStride, yStride, epilogue, 1);
                    }
                    if (row < rows)
                        Tile1x64Avx<TPanel>(x + (long)row * xStride, panel, k, bias, output + (long)row * yStride, epilogue);
                    break;
                default:
                    for (; row < rows; row++)
                        TileScalar<TPanel>(x + (long)row * xStride, panel, k, bias, output + (long)row * yStride, epilogue);
                    break;
            }
        }
    }

    /// <summary>Applies bias and the epilogue to <paramref name="rows"/> raw 64-wide rows of <paramref name="tile"/>.</summary>
    private static void Finish512(float* tile, int rows, float* bias, float* y, int yStride, GemmEpilogue epilogue)
    {
        for (var r = 0; r < rows; r++, tile += 64, y += yStride)
        {
            var c0 = Vector512.Load(tile);
            var c1 = Vector512.Load(tile + 16);
            var c2 = Vector512.Load(tile + 32);
            var c3 = Vector512.Load(tile + 48);
            if (bias is not null)
            {
                c0 += Vector512.Load(bias);
                c1 += Vector512.Load(bias + 16);
                c2 += Vector512.Load(bias + 32);
                c3 += Vector512.Load(bias + 48);
            }
            switch (epilogue)
            {
                case GemmEpilogue.SiluMul:
                    Vector512.Store(Silu(c0) * c2, y);
                    Vector512.Store(Silu(c1) * c3, y + 16);
                    break;
                case GemmEpilogue.Accumulate:
                    Vector512.Store(Vector512.Load(y) + c0, y);
                    Vector512.Store(Vector512.Load(y + 16) + c1, y + 16);
                    Vector512.Store(Vector512.Load(y + 32) + c2, y + 32);
                    Vector512.Store(Vector512.Load(y + 48) + c3, y + 48);
                    break;
                default:
                    Vector512.Store(c0, y);
                    Vector512.Store(c1, y + 16);
                    Vector512.Store(c2, y + 32);
                    Vector512.Store(c3, y + 48);
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Silu(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Silu(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Silu(float x) => x / (1f + MathF.Exp(-x));

    /// <summary>AVX-512: 4 rows × 64 columns, 16 accumulators; each k's weights loaded (and widened) once for the 4 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Tile4x64<TPanel>(float* x, int xStride, byte* w, int k, float* tile)
        where TPanel : struct, IPanel
    {
        // Accumulators start at zero (a conditional start makes the JIT keep them on the stack); y/bias join at the end.
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        float* x0 = x, x1 = x + xStride, x2 = x + 2L * xStride, x3 = x + 3L * xStride;
        for (var i = 0; i < k; i++, w += TPanel.StepBytes)
        {
            TPanel.Load512(w, out var w0, out var w1, out var w2, out var w3);
            var a = Vector512.Create(x0[i]);
            c00 = Vector512.FusedMultiplyAdd(a, w0, c00); c01 = Vector512.FusedMultiplyAdd(a, w1, c01);
            c02 = Vector512.FusedMultiplyAdd(a, w2, c02); c03 = Vector512.FusedMultiplyAdd(a, w3, c03);
            a = Vector512.Create(x1[i]);
            c10 = Vector512.FusedMultiplyAdd(a, w0, c10); c11 = Vector512.FusedMultiplyAdd(a, w1, c11);
            c12 = Vector512.FusedMultiplyAdd(a, w2, c12); c13 = Vector512.FusedMultiplyAdd(a, w3, c13);
            a = Vector512.Create(x2[i]);
            c20 = Vector512.FusedMultiplyAdd(a, w0, c20); c21 = Vector512.FusedMultiplyAdd(a, w1, c21);
            c22 = Vector512.FusedMultiplyAdd(a, w2, c22); c23 = Vector512.FusedMultiplyAdd(a, w3, c23);
            a = Vector512.Create(x3[i]);
            c30 = Vector512.FusedMultiplyAdd(a, w0, c30); c31 = Vector512.FusedMultiplyAdd(a, w1, c31);
            c32 = Vector512.FusedMultiplyAdd(a, w2, c32); c33 = Vector512.FusedMultiplyAdd(a, w3, c33);
        }
        TPanel.Store512(tile, c00, c01, c02, c03);
        TPanel.Store512(tile + 64, c10, c11, c12, c13);
        TPanel.Store512(tile + 128, c20, c21, c22, c23);
        TPanel.Store512(tile + 192, c30, c31, c32, c33);
    }

    /// <summary>
    /// AVX-512: one row × 64 columns, accumulated exactly as one row of <see cref="Tile4x64{TPanel}"/> (from zero, one
    /// FMA chain per column, k in order). Four independent chains are enough: the tile is bound by streaming W.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Tile1x64<TPanel>(float* x, byte* w, int k, float* tile)
        where TPanel : struct, IPanel
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        for (var i = 0; i < k; i++, w += TPanel.StepBytes)
        {
            TPanel.Load512(w, out var w0, out var w1, out var w2, out var w3);
            var a = Vector512.Create(x[i]);
            c0 = Vector512.FusedMultiplyAdd(a, w0, c0);
            c1 = Vector512.FusedMultiplyAdd(a, w1, c1);
            c2 = Vector512.FusedMultiplyAdd(a, w2, c2);
            c3 = Vector512.FusedMultiplyAdd(a, w3, c3);
        }
        TPanel.Store512(tile, c0, c1, c2, c3);
    }

    /// <summary>
    /// AVX2 tile: 2 rows × 32 of the block's columns. Half h takes columns [16h, 16h+16) and [32+16h, 32+16h+16), so a
    /// SiluMul block's gate columns meet their up columns in the same tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x32Avx<TPanel>(float* x, int xStride, byte* w, int k, float* bias, float* y, int yStride, GemmEpilogue epilogue, int half)
        where TPanel : struct, IPanel
    {
        int o0 = 16 * half, o1 = 16 * half + 8, o2 = 32 + 16 * half, o3 = 32 + 16 * half + 8;
        var y0 = y;
        var y1 = y + yStride;
        var c00 = Start256(y0 + o0, bias, o0, epilogue); var c01 = Start256(y0 + o1, bias, o1, epilogue);
        var c02 = Start256(y0 + o2, bias, o2, epilogue); var c03 = Start256(y0 + o3, bias, o3, epilogue);
        var c10 = Start256(y1 + o0, bias, o0, epilogue); var c11 = Start256(y1 + o1, bias, o1, epilogue);
        var c12 = Start256(y1 + o2, bias, o2, epilogue); var c13 = Start256(y1 + o3, bias, o3, epilogue);
        float* x0 = x, x1 = x + xStride;
        for (var i = 0; i < k; i++, w += TPanel.StepBytes)
        {
            TPanel.LoadGroup256(w, half, out var w0, out var w1);
            TPanel.LoadGroup256(w, 2 + half, out var w2, out var w3);
            var a = Vector256.Create(x0[i]);
            c00 = Vector256.FusedMultiplyAdd(a, w0, c00); c01 = Vector256.FusedMultiplyAdd(a, w1, c01);
            c02 = Vector256.FusedMultiplyAdd(a, w2, c02); c03 = Vector256.FusedMultiplyAdd(a, w3, c03);
            a = Vector256.Create(x1[i]);
            c10 = Vector256.FusedMultiplyAdd(a, w0, c10); c11 = Vector256.FusedMultiplyAdd(a, w1, c11);
            c12 = Vector256.FusedMultiplyAdd(a, w2, c12); c13 = Vector256.FusedMultiplyAdd(a, w3, c13);
        }
        Finish256(y0, epilogue, half, o0, o1, o2, o3, c00, c01, c02, c03);
        Finish256(y1, epilogue, half, o0, o1, o2, o3, c10, c11, c12, c13);
    }

    /// <summary>AVX2: one row × all 64 columns, eight independent accumulators, the panel streamed once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x64Avx<TPanel>(float* x, byte* w, int k, float* bias, float* y, GemmEpilogue epilogue)
        where TPanel : struct, IPanel
    {
        var c0 = Start256(y, bias, 0, epilogue); var c1 = Start256(y + 8, bias, 8, epilogue);
        var c2 = Start256(y + 16, bias, 16, epilogue); var c3 = Start256(y + 24, bias, 24, epilogue);
        var c4 = Start256(y + 32, bias, 32, epilogue); var c5 = Start256(y + 40, bias, 40, epilogue);
        var c6 = Start256(y + 48, bias, 48, epilogue); var c7 = Start256(y + 56, bias, 56, epilogue);
        for (var i = 0; i < k; i++, w += TPanel.StepBytes)
        {
            var a = Vector256.Create(x[i]);
            // Group by group, each consumed right after its load (fewer live registers than loading all eight first).
            TPanel.LoadGroup256(w, 0, out var lo, out var hi);
            c0 = Vector256.FusedMultiplyAdd(a, lo, c0); c1 = Vector256.FusedMultiplyAdd(a, hi, c1);
            TPanel.LoadGroup256(w, 1, out lo, out hi);
            c2 = Vector256.FusedMultiplyAdd(a, lo, c2); c3 = Vector256.FusedMultiplyAdd(a, hi, c3);
            TPanel.LoadGroup256(w, 2, out lo, out hi);
            c4 = Vector256.FusedMultiplyAdd(a, lo, c4); c5 = Vector256.FusedMultiplyAdd(a, hi, c5);
            TPanel.LoadGroup256(w, 3, out lo, out hi);
            c6 = Vector256.FusedMultiplyAdd(a, lo, c6); c7 = Vector256.FusedMultiplyAdd(a, hi, c7);
        }
        // Half 0 is columns [0, 16) and [32, 48); half 1 is [16, 32) and [48, 64).
        Finish256(y, epilogue, 0, 0, 8, 32, 40, c0, c1, c4, c5);
        Finish256(y, epilogue, 1, 16, 24, 48, 56, c2, c3, c6, c7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Start256(float* y, float* bias, int offset, GemmEpilogue epilogue)
    {
        var start = epilogue == GemmEpilogue.Accumulate ? Vector256.Load(y) : Vector256<float>.Zero;
        return bias is null ? start : start + Vector256.Load(bias + offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish256(float* y, GemmEpilogue epilogue, int half, int o0, int o1, int o2, int o3,
        Vector256<float> c0, Vector256<float> c1, Vector256<float> c2, Vector256<float> c3)
    {
        if (epilogue == GemmEpilogue.SiluMul)
        {
            Vector256.Store(Silu(c0) * c2, y + 16 * half);
            Vector256.Store(Silu(c1) * c3, y + 16 * half + 8);
            return;
        }
        Vector256.Store(c0, y + o0);
        Vector256.Store(c1, y + o1);
        Vector256.Store(c2, y + o2);
        Vector256.Store(c3, y + o3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileScalar<TPanel>(float* x, byte* w, int k, float* bias, float* y, GemmEpilogue epilogue)
        where TPanel : struct, IPanel
    {
        var sums = stackalloc float[PackedMatrix.BlockColumns];
        var slots = stackalloc int[PackedMatrix.BlockColumns];
        for (var j = 0; j < PackedMatrix.BlockColumns; j++)
        {
            sums[j] = (epilogue == GemmEpilogue.Accumulate ? y[j] : 0f) + (bias is null ? 0f : bias[j]);
            slots[j] = TPanel.SlotOf(j);
        }
        for (var i = 0; i < k; i++, w += TPanel.StepBytes)
        {
            var a = x[i];
            for (var j = 0; j < PackedMatrix.BlockColumns; j++)
                sums[j] = MathF.FusedMultiplyAdd(a, TPanel.Scalar(w, slots[j]), sums[j]);
        }
        if (epilogue == GemmEpilogue.SiluMul)
        {
            for (var j = 0; j < 32; j++)
                y[j] = Silu(sums[j]) * sums[32 + j];
            return;
        }
        for (var j = 0; j < PackedMatrix.BlockColumns; j++)
            y[j] = sums[j];
    }

    // ---------------------------------------------------------------- weight formats

    /// <summary>One k step of a 64-column block in a packed format (see <see cref="PackedMatrix"/>): how it is read.</summary>
    private interface IPanel
    {
        /// <summary>Bytes of one k step (64 weights).</summary>
        static abstract int StepBytes { get; }

        /// <summary>The 64 weights as four Vector512 in the format's accumulator order (see <see cref="Store512"/>).</summary>
        static abstract void Load512(byte* w, out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3);

        /// <summary>Writes one row's four accumulators (in <see cref="Load512"/>'s order) as 64 columns in order.</summary>
        static abstract void Store512(float* tile, Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3);

        /// <summary>Group g's 16 columns [16g, 16g+8) and [16g+8, 16g+16) as two Vector256.</summary>
        static abstract void LoadGroup256(byte* w, int group, out Vector256<float> low, out Vector256<float> high);

        /// <summary>Where column <paramref name="j"/>'s weight sits among one k's 64.</summary>
        static abstract int SlotOf(int j);

        /// <summary>The weight in <paramref name="slot"/> (see <see cref="SlotOf"/>).</summary>
        static abstract float Scalar(byte* w, int slot);
    }

    /// <summary>float32 weights, 64 in column order.</summary>
    private readonly struct Float32Panel : IPanel
    {
        public static int StepBytes => PackedMatrix.BlockColumns * sizeof(float);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Load512(byte* w, out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
        {
            var f = (float*)w;
            w0 = Vector512.Load(f);
            w1 = Vector512.Load(f + 16);
            w2 = Vector512.Load(f + 32);
            w3 = Vector512.Load(f + 48);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store512(float* tile, Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3)
        {
            Vector512.Store(c0, tile);
            Vector512.Store(c1, tile + 16);
            Vector512.Store(c2, tile + 32);
            Vector512.Store(c3, tile + 48);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void LoadGroup256(byte* w, int group, out Vector256<float> low, out Vector256<float> high)
        {
            var f = (float*)w + 16 * group;
            low = Vector256.Load(f);
            high = Vector256.Load(f + 8);
        }

        public static int SlotOf(int j) => j;

        public static float Scalar(byte* w, int slot) => ((float*)w)[slot];
    }

    /// <summary>
    /// 16-bit weights (bf16 or f16, see <see cref="IWidening"/>): each 32-bit lane holds two, widened in registers right
    /// after the load. AVX-512 reads two groups per Vector512, so its accumulators hold columns in group order and
    /// <see cref="StoreGroups"/> puts them back; an AVX2 group load comes out in column order.
    /// </summary>
    private readonly struct Panel16<TWiden> : IPanel
        where TWiden : struct, IWidening
    {
        public static int StepBytes => PackedMatrix.BlockColumns * sizeof(ushort);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Load512(byte* w, out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
        {
            var lanes = (uint*)w;
            var g01 = Vector512.Load(lanes);
            var g23 = Vector512.Load(lanes + 16);
            w0 = TWiden.Low(g01);
            w1 = TWiden.High(g01);
            w2 = TWiden.Low(g23);
            w3 = TWiden.High(g23);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store512(float* tile, Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3) =>
            StoreGroups(tile, c0, c1, c2, c3);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void LoadGroup256(byte* w, int group, out Vector256<float> low, out Vector256<float> high)
        {
            var lanes = Vector256.Load((uint*)w + 8 * group);
            low = TWiden.Low(lanes);
            high = TWiden.High(lanes);
        }

        public static int SlotOf(int j) => PackedMatrix.SlotOf(j);

        public static float Scalar(byte* w, int slot) => TWiden.Scalar(((ushort*)w)[slot]);
    }

    // ---------------------------------------------------------------- 16-bit widening

    /// <summary>
    /// Widens 16-bit weights to float32 in registers. A Vector256 of eight 32-bit lanes holds 16 weights (see
    /// <see cref="PackedMatrix"/>): <see cref="Low"/> gives the low halves' eight columns, <see cref="High"/> the high halves'.
    /// </summary>
    private interface IWidening
    {
        static abstract Vector256<float> Low(Vector256<uint> lanes);

        static abstract Vector256<float> High(Vector256<uint> lanes);

        /// <summary>Two groups at once (sixteen 32-bit lanes): the low halves of both, lane for lane.</summary>
        static abstract Vector512<float> Low(Vector512<uint> lanes);

        /// <summary>Two groups at once: the high halves of both, lane for lane.</summary>
        static abstract Vector512<float> High(Vector512<uint> lanes);

        static abstract float Scalar(ushort bits);
    }

    /// <summary>bfloat16 is the top half of a float32: shift the low half up, mask the high half.</summary>
    private readonly struct BFloat16Widening : IWidening
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Low(Vector256<uint> lanes) => Vector256.ShiftLeft(lanes, 16).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> High(Vector256<uint> lanes) => (lanes & Vector256.Create(0xFFFF0000u)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Low(Vector512<uint> lanes) => Vector512.ShiftLeft(lanes, 16).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> High(Vector512<uint> lanes) => (lanes & Vector512.Create(0xFFFF0000u)).AsSingle();

        public static float Scalar(ushort bits) => Numbers.FromBFloat16(bits);
    }

    /// <summary>
    /// IEEE half with the half in a lane's top 16 bits: exponent and mantissa shifted into float32 position (3 bits
    /// right) and rescaled by 2¹¹² (= 2^(127−15)), which also maps subnormal halves exactly; the sign is or-ed back.
    /// Infinities and NaNs are not kept (they come out as ±65536·(1.m)): checkpoints hold finite weights.
    /// </summary>
    private readonly struct HalfWidening : IWidening
    {
        /// <summary>2¹¹², exactly representable.</summary>
        private const float TwoTo112 = 5.192296858534828e33f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Top(Vector256<uint> top)
        {
            var magnitude = Vector256.ShiftRightLogical(top & Vector256.Create(0x7FFF0000u), 3).AsSingle() * Vector256.Create(TwoTo112);
            return (magnitude.AsUInt32() | (top & Vector256.Create(0x80000000u))).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Low(Vector256<uint> lanes) => Top(Vector256.ShiftLeft(lanes, 16));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> High(Vector256<uint> lanes) => Top(lanes);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Top(Vector512<uint> top)
        {
            var magnitude = Vector512.ShiftRightLogical(top & Vector512.Create(0x7FFF0000u), 3).AsSingle() * Vector512.Create(TwoTo112);
            return (magnitude.AsUInt32() | (top & Vector512.Create(0x80000000u))).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Low(Vector512<uint> lanes) => Top(Vector512.ShiftLeft(lanes, 16));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> High(Vector512<uint> lanes) => Top(lanes);

        public static float Scalar(ushort bits) => Numbers.FromHalf(bits);
    }

    /// <summary>
    /// Writes one row's 64 columns in order from accumulators in load order: Low(g01) = columns [0, 8) and [16, 24),
    /// High(g01) = [8, 16) and [24, 32), Low(g23) = [32, 40) and [48, 56), High(g23) = [40, 48) and [56, 64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGroups(float* y, Vector512<float> low01, Vector512<float> high01, Vector512<float> low23, Vector512<float> high23)
    {
        Vector256.Store(low01.GetLower(), y);
        Vector256.Store(high01.GetLower(), y + 8);
        Vector256.Store(low01.GetUpper(), y + 16);
        Vector256.Store(high01.GetUpper(), y + 24);
        Vector256.Store(low23.GetLower(), y + 32);
        Vector256.Store(high23.GetLower(), y + 40);
        Vector256.Store(low23.GetUpper(), y + 48);
        Vector256.Store(high23.GetUpper(), y + 56);
    }

    /// <summary>Testing: the vector widening of <paramref name="format"/> on 16 packed values (slot order), as 16 floats in column order.</summary>
    internal static float[] WidenGroup(ushort[] slots, PackedFormat format)
    {
        fixed (ushort* p = slots)
        {
            var lanes = Vector256.Load((uint*)p);
            var (low, high) = format == PackedFormat.BFloat16
                ? (BFloat16Widening.Low(lanes), BFloat16Widening.High(lanes))
                : (HalfWidening.Low(lanes), HalfWidening.High(lanes));
            var result = new float[16];
            low.CopyTo(result, 0);
            high.CopyTo(result, 8);
            return result;
        }
    }

    // ---------------------------------------------------------------- vectors

    /// <summary>Σ a[i]·b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(float* a, float* b, int n)
    {
        var i = 0;
        var sum = 0f;
        if (level == KernelLevel.Vector512 && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), acc);
            sum = Vector512.Sum(acc);
        }
        else if (level >= KernelLevel.Vector256 && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
            sum = MathF.FusedMultiplyAdd(a[i], b[i], sum);
        return sum;
    }

    /// <summary>y[i] += a·x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(float a, float* x, float* y, int n)
    {
        var i = 0;
        if (level == KernelLevel.Vector512)
        {
            var va = Vector512.Create(a);
            for (; i + 16 <= n; i += 16)
                Vector512.Store(Vector512.FusedMultiplyAdd(va, Vector512.Load(x + i), Vector512.Load(y + i)), y + i);
        }
        if (level >= KernelLevel.Vector256)
        {
            var va = Vector256.Create(a);
            for (; i + 8 <= n; i += 8)
                Vector256.Store(Vector256.FusedMultiplyAdd(va, Vector256.Load(x + i), Vector256.Load(y + i)), y + i);
        }
        for (; i < n; i++)
            y[i] = MathF.FusedMultiplyAdd(a, x[i], y[i]);
    }

    /// <summary>y[i] *= a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(float* y, float a, int n)
    {
        var i = 0;
        if (level == KernelLevel.Vector512)
        {
            for (; i + 16 <= n; i += 16)
                Vector512.Store(Vector512.Load(y + i) * a, y + i);
        }
        if (level >= KernelLevel.Vector256)
        {
            for (; i + 8 <= n; i += 8)
                Vector256.Store(Vector256.Load(y + i) * a, y + i);
        }
        for (; i < n; i++)
            y[i] *= a;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Max(float* x, int n)
    {
        var i = 0;
        var best = float.NegativeInfinity;
        if (level == KernelLevel.Vector512 && n >= 16)
        {
            var m = Vector512.Create(float.NegativeInfinity);
            for (; i + 16 <= n; i += 16)
                m = Vector512.Max(m, Vector512.Load(x + i));
            for (var j = 0; j < 16; j++)
                best = MathF.Max(best, m[j]);
        }
        else if (level >= KernelLevel.Vector256 && n >= 8)
        {
            var m = Vector256.Create(float.NegativeInfinity);
            for (; i + 8 <= n; i += 8)
                m = Vector256.Max(m, Vector256.Load(x + i));
            for (var j = 0; j < 8; j++)
                best = MathF.Max(best, m[j]);
        }
        for (; i < n; i++)
            best = MathF.Max(best, x[i]);
        return best;
    }

    /// <summary>y[i] = exp(x[i] − shift) (x and y may alias); returns Σ y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float ExpShifted(float* x, float* y, float shift, int n)
    {
        var i = 0;
        var sum = 0f;
        if (level == KernelLevel.Vector512 && n >= 16)
        {
            var s = Vector512.Create(shift);
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var e = Vector512.Exp(Vector512.Load(x + i) - s);
                Vector512.Store(e, y + i);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        else if (level >= KernelLevel.Vector256 && n >= 8)
        {
            var s = Vector256.Create(shift);
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var e = Vector256.Exp(Vector256.Load(x + i) - s);
                Vector256.Store(e, y + i);
                acc += e;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            var e = MathF.Exp(x[i] - shift);
            y[i] = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>Σ exp(x[i] − shift), nothing stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SumExpShifted(float* x, float shift, int n)
    {
        var i = 0;
        var sum = 0f;
        if (level == KernelLevel.Vector512 && n >= 16)
        {
            var s = Vector512.Create(shift);
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
                acc += Vector512.Exp(Vector512.Load(x + i) - s);
            sum = Vector512.Sum(acc);
        }
        else if (level >= KernelLevel.Vector256 && n >= 8)
        {
            var s = Vector256.Create(shift);
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
                acc += Vector256.Exp(Vector256.Load(x + i) - s);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
            sum += MathF.Exp(x[i] - shift);
        return sum;
    }

    /// <summary>y = x / sqrt(mean(x²) + eps) · weight, in float32 as Hugging Face does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(float* x, float* weight, float* y, int n, float eps)
    {
        var squares = Dot(x, x, n);
        var inverse = 1f / MathF.Sqrt(squares / n + eps);
        var i = 0;
        if (level == KernelLevel.Vector512)
        {
            var r = Vector512.Create(inverse);
            for (; i + 16 <= n; i += 16)
                Vector512.Store(Vector512.Load(weight + i) * (Vector512.Load(x + i) * r), y + i);
        }
        if (level >= KernelLevel.Vector256)
        {
            var r = Vector256.Create(inverse);
            for (; i + 8 <= n; i += 8)
                Vector256.Store(Vector256.Load(weight + i) * (Vector256.Load(x + i) * r), y + i);
        }
        for (; i < n; i++)
            y[i] = weight[i] * (x[i] * inverse);
    }

    /// <summary>
    /// Rotates one head vector x (D) in place, Hugging Face half rotation: x·cos + rotate_half(x)·sin with
    /// rotate_half(x) = (−x₂, x₁) and cos/sin (D/2) the table row of this position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rope(float* x, float* cos, float* sin, int headDim)
    {
        var half = headDim / 2;
        var i = 0;
        if (level == KernelLevel.Vector512)
        {
            for (; i + 16 <= half; i += 16)
            {
                var x1 = Vector512.Load(x + i);
                var x2 = Vector512.Load(x + half + i);
                var c = Vector512.Load(cos + i);
                var s = Vector512.Load(sin + i);
                Vector512.Store(x1 * c - x2 * s, x + i);
                Vector512.Store(x2 * c + x1 * s, x + half + i);
            }
        }
        if (level >= KernelLevel.Vector256)
        {
            for (; i + 8 <= half; i += 8)
            {
                var x1 = Vector256.Load(x + i);
                var x2 = Vector256.Load(x + half + i);
                var c = Vector256.Load(cos + i);
                var s = Vector256.Load(sin + i);
                Vector256.Store(x1 * c - x2 * s, x + i);
                Vector256.Store(x2 * c + x1 * s, x + half + i);
            }
        }
        for (; i < half; i++)
        {
            var x1 = x[i];
            var x2 = x[half + i];
            x[i] = x1 * cos[i] - x2 * sin[i];
            x[half + i] = x2 * cos[i] + x1 * sin[i];
        }
    }

    /// <summary>Positions per key tile of the attention cache: keys are stored transposed per tile, [tile][d][16].</summary>
    public const int KeyTile = 16;

    /// <summary>Stores key <paramref name="key"/> (D) of <paramref name="position"/> into a transposed key cache.</summary>
    public static void StoreKey(float* key, float* keys, int position, int headDim)
    {
        var tile = keys + (long)(position / KeyTile) * headDim * KeyTile + position % KeyTile;
        for (var d = 0; d < headDim; d++)
            tile[d * KeyTile] = key[d];
    }

    /// <summary>
    /// One query head against positions [start, end) of one KV head: keys transposed per tile of 16 positions
    /// ([tile][d][16], see <see cref="StoreKey"/>), values as rows of D. output = softmax(q·kᵀ·scale)·v with the
    /// maximum subtracted, so it never overflows; no key (start ≥ end) gives zeros. <paramref name="scores"/> needs
    /// room for end rounded up to 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AttendTiled(float* q, float* keys, float* values, int headDim, int start, int end, float scale, float* scores, float* output)
    {
        new Span<float>(output, headDim).Clear();
        if (end <= start)
            return;
        var firstTile = start / KeyTile;
        var lastTile = (end - 1) / KeyTile;
        for (var t = firstTile; t <= lastTile; t++)
        {
            var tile = keys + (long)t * headDim * KeyTile;
            var destination = scores + t * KeyTile;
            if (level == KernelLevel.Vector512)
            {
                var acc = Vector512<float>.Zero;
                for (var d = 0; d < headDim; d++)
                    acc = Vector512.FusedMultiplyAdd(Vector512.Create(q[d]), Vector512.Load(tile + d * KeyTile), acc);
                Vector512.Store(acc * scale, destination);
            }
            else if (level == KernelLevel.Vector256)
            {
                var lo = Vector256<float>.Zero;
                var hi = Vector256<float>.Zero;
                for (var d = 0; d < headDim; d++)
                {
                    var a = Vector256.Create(q[d]);
                    lo = Vector256.FusedMultiplyAdd(a, Vector256.Load(tile + d * KeyTile), lo);
                    hi = Vector256.FusedMultiplyAdd(a, Vector256.Load(tile + d * KeyTile + 8), hi);
                }
                Vector256.Store(lo * scale, destination);
                Vector256.Store(hi * scale, destination + 8);
            }
            else
            {
                for (var lane = 0; lane < KeyTile; lane++)
                {
                    var sum = 0f;
                    for (var d = 0; d < headDim; d++)
                        sum = MathF.FusedMultiplyAdd(q[d], tile[d * KeyTile + lane], sum);
                    destination[lane] = sum * scale;
                }
            }
        }
        var count = end - start;
        var row = scores + start;
        var max = Max(row, count);
        var total = ExpShifted(row, row, max, count);
        var v = values + (long)start * headDim;
        if (level == KernelLevel.Vector512 && headDim == 32)
        {
            var o0 = Vector512<float>.Zero;
            var o1 = Vector512<float>.Zero;
            for (var s = 0; s < count; s++, v += 32)
            {
                var p = Vector512.Create(row[s]);
                o0 = Vector512.FusedMultiplyAdd(p, Vector512.Load(v), o0);
                o1 = Vector512.FusedMultiplyAdd(p, Vector512.Load(v + 16), o1);
            }
            var inverse = 1f / total;
            Vector512.Store(o0 * inverse, output);
            Vector512.Store(o1 * inverse, output + 16);
            return;
        }
        for (var s = 0; s < count; s++, v += headDim)
            Axpy(row[s], v, output, headDim);
        Scale(output, 1f / total, headDim);
    }

    /// <summary>
    /// Two query heads that share a KV head (<paramref name="q0"/>, <paramref name="q1"/>, outputs likewise), as
    /// <see cref="AttendTiled"/> computes each, but every key tile and value row is loaded once for both.
    /// Vector512 with head dim a multiple of 16 only; <paramref name="scores"/> needs room for two rows of
    /// <paramref name="stride"/> (≥ end rounded up to 16).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AttendPair512(float* q0, float* q1, float* keys, float* values, int headDim, int start, int end, float scale,
        float* scores, int stride, float* output0, float* output1)
    {
        new Span<float>(output0, headDim).Clear();
        new Span<float>(output1, headDim).Clear();
        if (end <= start)
            return;
        var scores1 = scores + stride;
        // Independent accumulators everywhere: a single FMA chain per output would make both passes latency-bound.
        var lastTile = (end - 1) / KeyTile;
        for (var t = start / KeyTile; t <= lastTile; t++)
        {
            var tile = keys + (long)t * headDim * KeyTile;
            Vector512<float> a0 = default, a1 = default, b0 = default, b1 = default;
            var d = 0;
            for (; d + 2 <= headDim; d += 2)
            {
                var k = Vector512.Load(tile + d * KeyTile);
                var l = Vector512.Load(tile + (d + 1) * KeyTile);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(q0[d]), k, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(q1[d]), k, a1);
                b0 = Vector512.FusedMultiplyAdd(Vector512.Create(q0[d + 1]), l, b0);
                b1 = Vector512.FusedMultiplyAdd(Vector512.Create(q1[d + 1]), l, b1);
            }
            Vector512.Store((a0 + b0) * scale, scores + t * KeyTile);
            Vector512.Store((a1 + b1) * scale, scores1 + t * KeyTile);
        }
        var count = end - start;
        var row0 = scores + start;
        var row1 = scores1 + start;
        var inverse0 = 1f / ExpShifted(row0, row0, Max(row0, count), count);
        var inverse1 = 1f / ExpShifted(row1, row1, Max(row1, count), count);
        var c = 0;
        for (; c + 32 <= headDim; c += 32)
        {
            Vector512<float> o00 = default, o01 = default, o10 = default, o11 = default;
            Vector512<float> p00 = default, p01 = default, p10 = default, p11 = default;
            var v = values + (long)start * headDim + c;
            var s = 0;
            for (; s + 2 <= count; s += 2, v += 2 * headDim)
            {
                var v0 = Vector512.Load(v);
                var v1 = Vector512.Load(v + 16);
                var w0 = Vector512.Load(v + headDim);
                var w1 = Vector512.Load(v + headDim + 16);
                var x0 = Vector512.Create(row0[s]);
                var x1 = Vector512.Create(row1[s]);
                var y0 = Vector512.Create(row0[s + 1]);
                var y1 = Vector512.Create(row1[s + 1]);
                o00 = Vector512.FusedMultiplyAdd(x0, v0, o00);
                o01 = Vector512.FusedMultiplyAdd(x0, v1, o01);
                o10 = Vector512.FusedMultiplyAdd(x1, v0, o10);
                o11 = Vector512.FusedMultiplyAdd(x1, v1, o11);
                p00 = Vector512.FusedMultiplyAdd(y0, w0, p00);
                p01 = Vector512.FusedMultiplyAdd(y0, w1, p01);
                p10 = Vector512.FusedMultiplyAdd(y1, w0, p10);
                p11 = Vector512.FusedMultiplyAdd(y1, w1, p11);
            }
            if (s < count)
            {
                var v0 = Vector512.Load(v);
                var v1 = Vector512.Load(v + 16);
                var x0 = Vector512.Create(row0[s]);
                var x1 = Vector512.Create(row1[s]);
                o00 = Vector512.FusedMultiplyAdd(x0, v0, o00);
                o01 = Vector512.FusedMultiplyAdd(x0, v1, o01);
                o10 = Vector512.FusedMultiplyAdd(x1, v0, o10);
                o11 = Vector512.FusedMultiplyAdd(x1, v1, o11);
            }
            Vector512.Store((o00 + p00) * inverse0, output0 + c);
            Vector512.Store((o01 + p01) * inverse0, output0 + c + 16);
            Vector512.Store((o10 + p10) * inverse1, output1 + c);
            Vector512.Store((o11 + p11) * inverse1, output1 + c + 16);
        }
        for (; c < headDim; c += 16)
        {
            Vector512<float> o0 = default, o1 = default, p0 = default, p1 = default;
            var v = values + (long)start * headDim + c;
            var s = 0;
            for (; s + 2 <= count; s += 2, v += 2 * headDim)
            {
                var value = Vector512.Load(v);
                var next = Vector512.Load(v + headDim);
                o0 = Vector512.FusedMultiplyAdd(Vector512.Create(row0[s]), value, o0);
                o1 = Vector512.FusedMultiplyAdd(Vector512.Create(row1[s]), value, o1);
                p0 = Vector512.FusedMultiplyAdd(Vector512.Create(row0[s + 1]), next, p0);
                p1 = Vector512.FusedMultiplyAdd(Vector512.Create(row1[s + 1]), next, p1);
            }
            if (s < count)
            {
                var value = Vector512.Load(v);
                o0 = Vector512.FusedMultiplyAdd(Vector512.Create(row0[s]), value, o0);
                o1 = Vector512.FusedMultiplyAdd(Vector512.Create(row1[s]), value, o1);
            }
            Vector512.Store((o0 + p0) * inverse0, output0 + c);
            Vector512.Store((o1 + p1) * inverse1, output1 + c);
        }
    }
}
