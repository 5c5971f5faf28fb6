using System.Runtime.InteropServices;
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
    public static void Save(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var header = new Dictionary<string, object>();
        long offset = 0;
        var payloads = new List<byte[]>();
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().to(CPU).to_type(ScalarType.Float32).contiguous();
            var bytes = MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray();
            header[name] = new { dtype = "F32", shape = tensor.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            offset += bytes.Length;
            payloads.Add(bytes);
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The format asks for the data to start 8-byte aligned.
        var padded = new byte[(json.Length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        json.CopyTo(padded, 0);
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)padded.Length));
        file.Write(padded);
        foreach (var payload in payloads)
        {
            file.Write(payload);
        }
    }

    public static Dictionary<string, Tensor> Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
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
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]))).ToArray();
            result[entry.Name] = tensor(values, shape);
        }
        return result;
    }
}
