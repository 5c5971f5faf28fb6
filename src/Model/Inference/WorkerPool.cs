using System.Diagnostics;

namespace PrunerPipeline.Model.Inference;

/// <summary>
/// A few persistent threads that share one job at a time with the caller. A job is a number of independent chunks
/// (GEMM column blocks, attention (row, KV head) items, …); every thread, the caller included, claims chunks one by
/// one from a shared counter until none is left, so a worker that a busy machine has not scheduled yet simply gets
/// fewer chunks instead of stalling the step: the caller only ever waits for chunks already being computed.
/// Workers spin for a short while between jobs (a decode step issues ~40 jobs microseconds apart), then block on a
/// monitor, so an idle pool costs no CPU. One thread means no workers: chunks run inline. When the caller has to
/// wait long for a chunk (its thread was descheduled: the machine is busy), the following jobs run inline for a
/// while, so a loaded machine costs little more than one thread instead of a stall per job.
/// A chunk's result must not depend on which thread runs it (the thread index is only for scratch space).
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>How long an idle worker spins before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    /// <summary>
    /// Waiting this long for chunks other threads hold means one of them was descheduled mid-chunk (a chunk takes
    /// microseconds): the machine's cores are taken by someone else.
    /// </summary>
    private static readonly long StallTicks = Stopwatch.Frequency / 5_000; // 200 µs

    private const int MinBackoff = 64;
    private const int MaxBackoff = 16_384;

    private readonly Thread[] workers;
    private readonly object gate = new();
    private Action<int, int>? job;
    private int chunks;

    /// <summary>Job generation (high 32 bits) and next unclaimed chunk (low 32 bits), claimed by compare-and-swap.</summary>
    private long state;
    private int completed;
    private int sleepers;
    private volatile bool stopping;
    private Exception? failure;
    private int inlineJobs;
    private int backoff = MinBackoff;

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

    /// <summary>Runs <paramref name="body"/>(chunk, thread index) for every chunk in [0, <paramref name="count"/>) and returns when all are done.</summary>
    public void Run(int count, Action<int, int> body)
    {
        if (count <= 0)
            return;
        if (workers.Length == 0 || count == 1 || inlineJobs > 0)
        {
            // After a stall the next jobs run on the caller alone (the idle workers block and leave the core to
            // whoever holds it); the back-off doubles with every stall and halves with every smooth parallel job.
            if (inlineJobs > 0)
                inlineJobs--;
            for (var c = 0; c < count; c++)
                body(c, 0);
            return;
        }
        job = body;
        chunks = count;
        Volatile.Write(ref completed, 0);
        var generation = (Volatile.Read(ref state) >> 32) + 1;
        // Publishing the new generation with chunk 0 next is what releases the workers (a full fence).
        Interlocked.Exchange(ref state, generation << 32);
        if (Volatile.Read(ref sleepers) > 0)
        {
            lock (gate)
                Monitor.PulseAll(gate);
        }
        Exception? own = null;
        try
        {
            RunChunks(generation, 0);
        }
        catch (Exception e)
        {
            own = e;
        }
        var spin = new SpinWait();
        var waitStart = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref completed) != count)
            spin.SpinOnce(sleep1Threshold: -1);
        if (Stopwatch.GetTimestamp() - waitStart > StallTicks)
        {
            inlineJobs = backoff;
            backoff = Math.Min(MaxBackoff, backoff * 2);
        }
        else
        {
            backoff = Math.Max(MinBackoff, backoff / 2);
        }
        job = null;
        var failed = Interlocked.Exchange(ref failure, null);
        if (own is not null)
            throw own;
        if (failed is not null)
            throw new InvalidOperationException("a decoder worker failed", failed);
    }

    /// <summary>Claims and runs chunks of job <paramref name="generation"/> until none is left.</summary>
    private void RunChunks(long generation, int index)
    {
        while (true)
        {
            var current = Volatile.Read(ref state);
            if (current >> 32 != generation)
                return;
            var chunk = (int)(current & 0xFFFF_FFFF);
            // chunks and job belong to this generation: they change only after every chunk of it completed,
            // and the chunk claimed below is not complete yet.
            if (chunk >= Volatile.Read(ref chunks))
                return;
            if (Interlocked.CompareExchange(ref state, current + 1, current) != current)
                continue;
            try
            {
                job!(chunk, index);
            }
            catch (Exception e) when (index != 0)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
            finally
            {
                Interlocked.Increment(ref completed);
            }
        }
    }

    private void Work(int index)
    {
        long seen = 0;
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref state) >> 32 == seen && !stopping)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(8);
                    continue;
                }
                lock (gate)
                {
                    Interlocked.Increment(ref sleepers);
                    while (Volatile.Read(ref state) >> 32 == seen && !stopping)
                        Monitor.Wait(gate);
                    Interlocked.Decrement(ref sleepers);
                }
            }
            if (stopping)
                return;
            seen = Volatile.Read(ref state) >> 32;
            RunChunks(seen, index);
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
