using System.Runtime.InteropServices;
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
        var elementSize = BytesPerElement(dtype);
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is not null)
            header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var bytes = tensor.numel() * elementSize;
            header[name] = new { dtype, shape = tensor.shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The data section starts 8-byte aligned; the format pads the header with spaces.
        var padded = new byte[(json.Length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        json.CopyTo(padded, 0);

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        file.Write(BitConverter.GetBytes((long)padded.Length));
        file.Write(padded);
        foreach (var (_, tensor) in tensors)
        {
            using var cpu = tensor.detach().to(CPU).to_type(ScalarType.Float32).contiguous();
            var values = cpu.data<float>().ToArray();
            if (dtype == "F32")
            {
                file.Write(MemoryMarshal.AsBytes(values.AsSpan()));
                continue;
            }
            var halves = new ushort[values.Length];
            var bits = MemoryMarshal.Cast<float, uint>(values.AsSpan());
            for (var i = 0; i < bits.Length; i++)
                halves[i] = ToBFloat16(bits[i]);
            file.Write(MemoryMarshal.AsBytes(halves.AsSpan()));
        }
    }

    internal static ushort ToBFloat16(uint bits)
    {
        if ((bits & 0x7FFFFFFF) > 0x7F800000)
            return (ushort)((bits >> 16) | 0x40); // NaN stays NaN
        var roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
