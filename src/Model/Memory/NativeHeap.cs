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
    private static bool unavailable = !OperatingSystem.IsLinux();

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
