using System.Runtime.InteropServices;

namespace PrunerPipeline.Model.Inference;

/// <summary>A zeroed, 64-byte aligned float array outside the GC heap (one cache line / one Vector512 per 16 floats).</summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    public const int Alignment = 64;

    public NativeBuffer(long length)
    {
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length));
        Length = length;
        var bytes = (nuint)Math.Max(1, length) * sizeof(float);
        Pointer = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(Pointer, bytes);
    }

    public float* Pointer { get; private set; }

    public long Length { get; }

    public Span<float> Span => new(Pointer, checked((int)Length));

    public void Dispose()
    {
        if (Pointer is not null)
        {
            NativeMemory.AlignedFree(Pointer);
            Pointer = null;
        }
        GC.SuppressFinalize(this);
    }

    ~NativeBuffer()
    {
        if (Pointer is not null)
            NativeMemory.AlignedFree(Pointer);
    }
}
