namespace PrunerPipeline.Training.Tests.Lifetimes;

/// <summary>
/// A thread that collects and runs finalizers without pause while it lives: any tensor wrapper that code leaves
/// unreferenced while native code still uses its handle is freed under that code (and crashes the process).
/// </summary>
internal sealed class FinalizerPressure : IDisposable
{
    private readonly Thread thread;
    private volatile bool stop;

    public FinalizerPressure()
    {
        thread = new Thread(() =>
        {
            while (!stop)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true, Name = "finalizer pressure" };
        thread.Start();
    }

    public void Dispose()
    {
        stop = true;
        thread.Join();
    }
}
