namespace PrunerPipeline.Model.Memory;

/// <summary>
/// One model-heavy stage at a time per process: sampling, training and evaluation each enter the gate for their model
/// work. One service per process (distributed mode) changes nothing but the order of that service's own messages; in
/// one process (embedded mode) it stops an intermediate checkpoint's evaluation from loading a second float32 model
/// and its decoder beside a training that is still running: at the Qwen2.5-0.5B shape that overlap took an 8-problem
/// run from 13.6 GB to 19.4 GB and the kernel's OOM killer ended it on a 24 GB machine.
/// </summary>
public sealed class ModelWorkGate
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Waits for the gate; dispose the result to leave it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        return new Exit(gate);
    }

    private sealed class Exit(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) != 0)
                return;
            // The stage's models are disposed by now: hand their freed heap back before the next stage allocates.
            NativeHeap.Trim();
            gate.Release();
        }
    }
}
