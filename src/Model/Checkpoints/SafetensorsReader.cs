using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Checkpoints;

/// <summary>
/// A strict reader of one <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header
/// (name → dtype, shape, data_offsets), then the raw data. Tensors are read one at a time with positional reads (no
/// memory map, so the file's pages never count against the process's resident memory). A symbolic link (the Hugging
/// Face hub cache's snapshot files point into <c>../../blobs</c>) is measured by its target, not by the link itself.
/// Every inconsistency is an <see cref="InvalidDataException"/> naming the file and, where there is one, the tensor.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    /// <summary>Bytes converted per read when the stored dtype differs from the destination's.</summary>
    private const int ChunkBytes = 4 << 20;
    private readonly SafeFileHandle file;
    private readonly long dataStart;

    public SafetensorsReader(string path)
    {
        Path = path;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            var target = new FileInfo(path).LinkTarget;
            throw new FileNotFoundException(target is null
                ? $"{path}: safetensors file not found"
                : $"{path}: safetensors file is a link to '{target}', which does not exist", path, e);
        }
        // The open handle's length is the target's length when the path is a symbolic link.
        var length = RandomAccess.GetLength(file);
        if (length < 8)
        {
            file.Dispose();
            throw new InvalidDataException($"{path}: truncated safetensors file ({length} bytes, the header length alone needs 8)");
        }
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(prefix, 0);
        var headerLength = BitConverter.ToInt64(prefix);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > length)
        {
            file.Dispose();
            throw Fail($"header length {headerLength} runs past the end of the file ({length} bytes)");
        }
        dataStart = 8 + headerLength;
        var header = new byte[headerLength];
        ReadExactly(header, 8);
        try
        {
            Entries = ParseHeader(header, length - dataStart);
        }
        catch
        {
            file.Dispose();
            throw;
        }
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
        var entry = Find(name, expectedShape);
        var result = empty(entry.Shape, ScalarType.Float32);
        try
        {
            CopyInto(name, result);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads tensor <paramref name="name"/> straight into <paramref name="destination"/>'s storage (a contiguous CPU
    /// tensor of the same shape, F32, BF16 or F16): same dtype is one read into place, a different one is converted
    /// in 4 MiB chunks, so no whole-tensor copy is ever made beside the destination. F32 → BF16/F16 rounds to nearest even.
    /// </summary>
    public void CopyInto(string name, Tensor destination)
    {
        var entry = Find(name, destination.shape);
        if (destination.device_type != TorchSharp.DeviceType.CPU || !destination.is_contiguous())
            throw new ArgumentException("the destination must be a contiguous CPU tensor", nameof(destination));
        var target = destination.dtype switch
        {
            ScalarType.Float32 => "F32",
            ScalarType.BFloat16 => "BF16",
            ScalarType.Float16 => "F16",
            _ => throw new ArgumentException($"cannot read weights into a {destination.dtype} tensor", nameof(destination)),
        };
        if (entry.Dtype is not ("F32" or "BF16" or "F16"))
            throw Fail($"tensor '{name}' has dtype {entry.Dtype}; model weights must be F32, BF16 or F16");
        var output = destination.bytes;
        var offset = dataStart + entry.Begin;
        if (entry.Dtype == target)
        {
            ReadExactly(output, offset);
            return;
        }
        var sourceSize = SafetensorsEntry.ElementSize(entry.Dtype);
        var targetSize = SafetensorsEntry.ElementSize(target);
        var chunkElements = ChunkBytes / 4;
        var buffer = new byte[chunkElements * sourceSize];
        for (long done = 0; done < entry.ElementCount; done += chunkElements)
        {
            var count = (int)Math.Min(chunkElements, entry.ElementCount - done);
            var source = buffer.AsSpan(0, count * sourceSize);
            ReadExactly(source, offset + done * sourceSize);
            Convert(entry.Dtype, source, target, SliceOf(output, done * targetSize, count * targetSize));
        }
    }

    private static Span<byte> SliceOf(Span<byte> span, long start, int length) => span.Slice(checked((int)start), length);

    private static void Convert(string from, ReadOnlySpan<byte> source, string to, Span<byte> destination)
    {
        var count = source.Length / SafetensorsEntry.ElementSize(from);
        Span<float> floats = to == "F32" ? MemoryMarshal.Cast<byte, float>(destination) : new float[count];
        switch (from)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(source).CopyTo(floats);
                break;
            case "BF16":
                {
                    var raw = MemoryMarshal.Cast<byte, ushort>(source);
                    var bits = MemoryMarshal.Cast<float, uint>(floats);
                    for (var i = 0; i < count; i++)
                        bits[i] = (uint)raw[i] << 16;
                    break;
                }
            default:
                {
                    var raw = MemoryMarshal.Cast<byte, Half>(source);
                    for (var i = 0; i < count; i++)
                        floats[i] = (float)raw[i];
                    break;
                }
        }
        switch (to)
        {
            case "F32":
                return;
            case "BF16":
                {
                    var bits = MemoryMarshal.Cast<float, uint>(floats);
                    var output = MemoryMarshal.Cast<byte, ushort>(destination);
                    for (var i = 0; i < count; i++)
                        output[i] = SafetensorsWriter.ToBFloat16(bits[i]);
                    return;
                }
            default:
                {
                    var output = MemoryMarshal.Cast<byte, Half>(destination);
                    for (var i = 0; i < count; i++)
                        output[i] = (Half)floats[i];
                    return;
                }
        }
    }

    private SafetensorsEntry Find(string name, long[]? expectedShape)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw Fail($"tensor '{name}' is missing");
        if (expectedShape is not null && !entry.Shape.SequenceEqual(expectedShape))
            throw Fail($"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but the model config needs [{string.Join(", ", expectedShape)}]");
        return entry;
    }

    private void ReadExactly(Span<byte> destination, long offset)
    {
        // Span lengths are int: read a large tensor in pieces.
        var done = 0;
        while (done < destination.Length)
        {
            var read = RandomAccess.Read(file, destination[done..], offset + done);
            if (read == 0)
                throw Fail($"unexpected end of file at byte {offset + done}");
            done += read;
        }
    }

    public void Dispose() => file.Dispose();

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
