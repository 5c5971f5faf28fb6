using static TorchSharp.torch;

namespace PrunerPipeline.Model.Checkpoints;

/// <summary>
/// Moves a tensor's raw bytes to and from a file without a managed copy of the whole tensor: 256 MiB slices of its own
/// storage at a time (a Span cannot exceed 2 GB, and a 7B model's embedding is 2.2 GB in float32).
/// </summary>
public static class TensorBytes
{
    private const long SliceBytes = 256L << 20;

    /// <summary>Appends <paramref name="tensor"/>'s bytes (as <paramref name="dtype"/>, on the CPU, contiguous) to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Tensor tensor, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.detach().to(CPU).to_type(dtype).contiguous().view(-1);
        var step = Math.Max(1, SliceBytes / flat.element_size());
        for (long start = 0; start < flat.numel(); start += step)
        {
            using var slice = flat.narrow(0, start, Math.Min(step, flat.numel() - start));
            stream.Write(slice.bytes);
        }
    }

    /// <summary>Fills contiguous CPU <paramref name="destination"/> with its byte count read from <paramref name="file"/> at <paramref name="offset"/>.</summary>
    public static void Read(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, Tensor destination, string path)
    {
        using var flat = destination.view(-1);
        var step = Math.Max(1, SliceBytes / destination.element_size());
        for (long start = 0; start < flat.numel(); start += step)
        {
            using var slice = flat.narrow(0, start, Math.Min(step, flat.numel() - start));
            var span = slice.bytes;
            var done = 0;
            while (done < span.Length)
            {
                var read = RandomAccess.Read(file, span[done..], offset + done);
                if (read == 0)
                    throw new InvalidDataException($"{path}: unexpected end of file at byte {offset + done}");
                done += read;
            }
            offset += span.Length;
        }
    }
}
