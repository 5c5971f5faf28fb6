using System.Diagnostics;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>This process's memory as the kernel counts it (/proc/self/status on Linux; the managed view elsewhere).</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS: resident now.</summary>
    public static double ResidentMiB() => StatusMiB("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);

    /// <summary>VmHWM: the resident high-water mark.</summary>
    public static double PeakResidentMiB() => StatusMiB("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

    private static double? StatusMiB(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is not null && long.TryParse(line[field.Length..].Trim().Split(' ')[0], out var kib) ? kib / 1024.0 : null;
    }
}
