using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PrunerPipeline.Model.Memory;

/// <summary>
/// Gives the C heap's free pages back to the operating system. libtorch allocates tensors with glibc's malloc, and glibc
/// keeps freed memory in its arenas: after a 0.5B-shape training had disposed its policy, gradients and AdamW moments,
/// the process still held 10.3 GB resident, and the evaluation that followed stacked its models on top (15.2 GB
/// peak). <c>malloc_trim(0)</c> returns every free page of every arena. A no-op where the C library is not glibc.
/// </summary>
public static partial class NativeHeap
{
    /// <summary>The share of wall time <see cref="TrimThrottled"/> may spend trimming.</summary>
    public const double MaxTrimTimeShare = 0.02;

    private static bool unavailable = !OperatingSystem.IsLinux();
    private static long nextThrottledTrim;

    /// <summary>
    /// <see cref="Trim"/> for a hot loop (after every optimizer step): a trim walks every arena, which on the built-in
    /// model's 0.26 s training steps cost ~90 ms each (23 s of system time over the demo's 256 O1-Pruner steps). So after
    /// a trim that took t, the next waits until t / <see cref="MaxTrimTimeShare"/> has passed: steps of a real model
    /// (tens of seconds) are still trimmed every time, a tiny model's every ~5 s. False when skipped or nothing was released.
    /// </summary>
    public static bool TrimThrottled()
    {
        var start = Stopwatch.GetTimestamp();
        if (unavailable || start < Volatile.Read(ref nextThrottledTrim))
            return false;
        var released = Trim();
        var end = Stopwatch.GetTimestamp();
        Volatile.Write(ref nextThrottledTrim, end + (long)((end - start) / MaxTrimTimeShare));
        return released;
    }

    /// <summary>Returns free heap pages to the system; true when glibc released any.</summary>
    public static bool Trim()
    {
        if (unavailable)
            return false;
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl or another C library without malloc_trim.
            unavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
