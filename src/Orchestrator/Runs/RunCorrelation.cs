using System.Security.Cryptography;
using System.Text;

namespace PrunerPipeline.Orchestrator.Runs;

/// <summary>
/// Messages name runs by their string id; MassTransit sagas correlate by Guid. The Guid is a name-based hash of the
/// run id (RFC 4122 version-5 layout over SHA-256), the same in every process, so no lookup table is needed.
/// </summary>
public static class RunCorrelation
{
    public static Guid IdOf(string? runId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("pruner-run:" + (runId ?? "")));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
