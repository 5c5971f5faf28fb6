using System.Text;
using System.Text.Json;

namespace PrunerPipeline.Contracts.Samples;

/// <summary>
/// The shard file format: UTF-8 JSON lines, camelCase, one sample a line. Shared by every service that writes or reads
/// shards, so the rollout, reward and trainer services cannot drift apart.
/// </summary>
public static class SampleJsonLines
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static byte[] Serialize<T>(IEnumerable<T> samples)
    {
        using var buffer = new MemoryStream();
        foreach (var sample in samples)
        {
            JsonSerializer.Serialize(buffer, sample, Options);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads every line of a shard. A line that is not valid JSON of <typeparamref name="T"/> (a truncated or foreign blob)
    /// throws <see cref="InvalidDataException"/> naming the blob and the line, so the fault says what is wrong where.
    /// </summary>
    public static async Task<List<T>> ReadAsync<T>(Stream stream, string blobName, CancellationToken ct)
    {
        var samples = new List<T>();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                samples.Add(JsonSerializer.Deserialize<T>(line, Options)
                    ?? throw new InvalidDataException($"Blob {blobName} line {lineNumber} is null, not a {typeof(T).Name}"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Blob {blobName} line {lineNumber} is not a valid {typeof(T).Name}: {e.Message}", e);
            }
        }

        return samples;
    }
}
