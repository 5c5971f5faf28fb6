using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Checkpoints;

/// <summary>
/// Minimal safetensors reader/writer for float32 tensors (8-byte little-endian header length, JSON header, raw data),
/// used for the optimizer moments. Model weights go through the model's own checkpoint code.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Streams the tensors to <paramref name="path"/> one at a time, straight from their storage (the optimizer's
    /// moments are 8 bytes per parameter: no second copy of them is made in memory).</summary>
    public static void Save(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var bytes = tensor.numel() * 4;
            header[name] = new { dtype = "F32", shape = tensor.shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The format asks for the data to start 8-byte aligned.
        var padded = new byte[(json.Length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        json.CopyTo(padded, 0);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        file.Write(BitConverter.GetBytes((ulong)padded.Length));
        file.Write(padded);
        foreach (var (_, tensor) in tensors)
        {
            PrunerPipeline.Model.Checkpoints.TensorBytes.Write(file, tensor, ScalarType.Float32);
        }
    }

    /// <summary>Reads every tensor with positional reads into its own storage (no whole-file buffer: moments exceed 2 GB from ~0.3B parameters).</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        var prefix = new byte[8];
        if (length < 8 || RandomAccess.Read(file, prefix, 0) != 8)
            throw new InvalidDataException($"{path}: truncated safetensors file ({length} bytes)");
        var headerLength = BitConverter.ToUInt64(prefix, 0);
        if (headerLength == 0 || headerLength > 100UL << 20 || 8 + (long)headerLength > length)
            throw new InvalidDataException($"{path}: header length {headerLength} runs past the end of the file ({length} bytes)");
        var headerBytes = new byte[headerLength];
        RandomAccess.Read(file, headerBytes, 8);
        using var header = JsonDocument.Parse(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }
            var dtype = entry.Value.GetProperty("dtype").GetString();
            if (dtype != "F32")
            {
                throw new InvalidDataException($"{path}: tensor {entry.Name} has dtype {dtype}; only F32 is supported here");
            }
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var values = empty(shape, ScalarType.Float32);
            if (offsets.Length != 2 || offsets[1] - offsets[0] != values.numel() * 4 || dataStart + offsets[1] > length)
            {
                values.Dispose();
                throw new InvalidDataException($"{path}: tensor {entry.Name} has data_offsets that do not fit its shape or the file");
            }
            PrunerPipeline.Model.Checkpoints.TensorBytes.Read(file, dataStart + offsets[0], values, path);
            result[entry.Name] = values;
        }
        return result;
    }
}
