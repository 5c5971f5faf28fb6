using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Checkpoints;

/// <summary>
/// A strict reader of one <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header
/// (name → dtype, shape, data_offsets), then the raw data. The file is memory-mapped and read one tensor at a time.
/// Every inconsistency is an <see cref="InvalidDataException"/> naming the file and, where there is one, the tensor.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly MemoryMappedFile? map;
    private readonly MemoryMappedViewAccessor? view;
    private readonly long dataStart;

    public SafetensorsReader(string path)
    {
        Path = path;
        var length = new FileInfo(path).Length;
        if (length < 8)
            throw new InvalidDataException($"{path}: truncated safetensors file ({length} bytes, the header length alone needs 8)");
        map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var headerLength = view.ReadInt64(0);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > length)
            throw Fail($"header length {headerLength} runs past the end of the file ({length} bytes)");
        dataStart = 8 + headerLength;
        var header = new byte[headerLength];
        view.ReadArray(8, header, 0, header.Length);
        Entries = ParseHeader(header, length - dataStart);
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>Every tensor of the file as float32 on the CPU, by name (small files: optimizer state, test policies).</summary>
    public static Dictionary<string, Tensor> ReadAll(string path)
    {
        using var reader = new SafetensorsReader(path);
        return reader.Entries.Keys.ToDictionary(name => name, name => reader.ReadFloat32(name), StringComparer.Ordinal);
    }

    /// <summary>The tensor as float32 on the CPU (F32, BF16 and F16 are converted), with its shape checked against <paramref name="expectedShape"/> when given.</summary>
    public Tensor ReadFloat32(string name, long[]? expectedShape = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw Fail($"tensor '{name}' is missing");
        if (expectedShape is not null && !entry.Shape.SequenceEqual(expectedShape))
            throw Fail($"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but the model config needs [{string.Join(", ", expectedShape)}]");
        var count = checked((int)entry.ElementCount);
        var values = new float[count];
        switch (entry.Dtype)
        {
            case "F32":
                view!.ReadArray(dataStart + entry.Begin, values, 0, count);
                break;
            case "BF16":
                {
                    var raw = new ushort[count];
                    view!.ReadArray(dataStart + entry.Begin, raw, 0, count);
                    var bits = MemoryMarshal.Cast<float, uint>(values.AsSpan());
                    for (var i = 0; i < count; i++)
                        bits[i] = (uint)raw[i] << 16;
                    break;
                }
            case "F16":
                {
                    var raw = new Half[count];
                    view!.ReadArray(dataStart + entry.Begin, raw, 0, count);
                    for (var i = 0; i < count; i++)
                        values[i] = (float)raw[i];
                    break;
                }
            default:
                throw Fail($"tensor '{name}' has dtype {entry.Dtype}; model weights must be F32, BF16 or F16");
        }
        return tensor(values, entry.Shape);
    }

    public void Dispose()
    {
        view?.Dispose();
        map?.Dispose();
    }

    private InvalidDataException Fail(string message) => new($"{Path}: {message}");

    private Dictionary<string, SafetensorsEntry> ParseHeader(byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' ', '\0'));
        }
        catch (JsonException e)
        {
            throw Fail($"header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Fail("header must be a JSON object");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    Metadata = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
                    continue;
                }
                entries[property.Name] = ParseEntry(property.Name, property.Value, dataLength);
            }
            return entries;
        }
    }

    private SafetensorsEntry ParseEntry(string name, JsonElement value, long dataLength)
    {
        try
        {
            var dtype = value.GetProperty("dtype").GetString() ?? "";
            var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw Fail($"tensor '{name}' has invalid data_offsets");
            var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
            var size = SafetensorsEntry.ElementSize(dtype);
            if (size == 0)
                throw Fail($"tensor '{name}' has unknown dtype '{dtype}'");
            if (shape.Any(d => d < 0) || entry.ElementCount * size != entry.ByteCount)
                throw Fail($"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {entry.ElementCount * size} bytes but data_offsets span {entry.ByteCount}");
            if (entry.End > dataLength)
                throw Fail($"tensor '{name}' ends at byte {entry.End} of the data section, which has only {dataLength} bytes (truncated file?)");
            return entry;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Fail($"tensor '{name}' has a malformed header entry ({e.Message})");
        }
    }
}
