using System.Diagnostics;

namespace PrunerPipeline.Model.Inference;

/// <summary>
/// A few persistent threads that run one job at a time together with the caller: <see cref="Run"/> hands the job to
/// every worker (index 1..n-1), runs index 0 itself and returns when all are done. Workers spin for a short while
/// between jobs (a decode step issues ~40 jobs a few microseconds apart), then block on a monitor so an idle pool, or
/// one on a machine whose cores are taken, costs no CPU. One thread means no workers at all: jobs run inline.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>How long an idle worker spins before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    private readonly Thread[] workers;
    private readonly object gate = new();
    private Action<int, int>? job;
    private int generation;
    private int pending;
    private int sleepers;
    private volatile bool stopping;
    private Exception? failure;

    public WorkerPool(int threads)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread");
        Threads = threads;
        workers = new Thread[threads - 1];
        for (var i = 0; i < workers.Length; i++)
        {
            var index = i + 1;
            workers[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"managed-decoder-{index}" };
            workers[i].Start();
        }
    }

    public int Threads { get; }

    /// <summary>Runs <paramref name="work"/>(index, Threads) on every thread, index 0 on the caller's.</summary>
    public void Run(Action<int, int> work)
    {
        if (workers.Length == 0)
        {
            work(0, 1);
            return;
        }
        job = work;
        Volatile.Write(ref pending, workers.Length);
        Interlocked.Increment(ref generation);
        if (Volatile.Read(ref sleepers) > 0)
        {
            lock (gate)
                Monitor.PulseAll(gate);
        }
        Exception? own = null;
        try
        {
            work(0, Threads);
        }
        catch (Exception e)
        {
            own = e;
        }
        var spin = new SpinWait();
        while (Volatile.Read(ref pending) != 0)
            spin.SpinOnce(sleep1Threshold: -1);
        job = null;
        var failed = Interlocked.Exchange(ref failure, null);
        if (own is not null)
            throw own;
        if (failed is not null)
            throw new InvalidOperationException("a decoder worker failed", failed);
    }

    private void Work(int index)
    {
        var seen = 0;
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref generation) == seen && !stopping)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(8);
                    continue;
                }
                lock (gate)
                {
                    Interlocked.Increment(ref sleepers);
                    while (Volatile.Read(ref generation) == seen && !stopping)
                        Monitor.Wait(gate);
                    Interlocked.Decrement(ref sleepers);
                }
            }
            if (stopping)
                return;
            seen = Volatile.Read(ref generation);
            try
            {
                job!(index, Threads);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
            Interlocked.Decrement(ref pending);
        }
    }

    public void Dispose()
    {
        stopping = true;
        lock (gate)
            Monitor.PulseAll(gate);
        foreach (var worker in workers)
            worker.Join();
    }
}
