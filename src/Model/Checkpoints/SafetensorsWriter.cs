using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Checkpoints;

/// <summary>Writes float tensors as one <c>.safetensors</c> file (F32, or BF16 by rounding to nearest even), streamed tensor by tensor.</summary>
public static class SafetensorsWriter
{
    public static long BytesPerElement(string dtype) => dtype switch
    {
        "F32" => 4,
        "BF16" => 2,
        _ => throw new ArgumentException($"cannot save weights as {dtype} (F32 or BF16)", nameof(dtype)),
    };

    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, string dtype = "F32", IReadOnlyDictionary<string, string>? metadata = null)
    {
        BytesPerElement(dtype); // an unsupported dtype fails before the file exists
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        WriteHeader(file, tensors.Select(t => (t.Name, t.Tensor.shape)).ToList(), dtype, metadata);
        // Straight from each tensor's storage (BF16 rounds to nearest even in libtorch): no managed copy of a tensor.
        var target = dtype == "BF16" ? ScalarType.BFloat16 : ScalarType.Float32;
        foreach (var (_, tensor) in tensors)
            TensorBytes.Write(file, tensor, target);
    }

    /// <summary>
    /// The file's head: the header's length (8 bytes, little-endian) and the JSON header naming each tensor's dtype, shape
    /// and byte range, in order; the caller then writes the tensors' bytes in that order.
    /// </summary>
    public static void WriteHeader(Stream file, IReadOnlyList<(string Name, long[] Shape)> tensors, string dtype, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var elementSize = BytesPerElement(dtype);
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is not null)
            header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            var bytes = shape.Aggregate(1L, (a, b) => a * b) * elementSize;
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The data section starts 8-byte aligned; the format pads the header with spaces.
        var padded = new byte[(json.Length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        json.CopyTo(padded, 0);
        file.Write(BitConverter.GetBytes((long)padded.Length));
        file.Write(padded);
    }

    internal static ushort ToBFloat16(uint bits)
    {
        if ((bits & 0x7FFFFFFF) > 0x7F800000)
            return (ushort)((bits >> 16) | 0x40); // NaN stays NaN
        var roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
