namespace PrunerPipeline.Model;

/// <summary>
/// One read-only copy per process of each frozen model (the reference model that rollouts sample from and that
/// evaluation scores), shared by every service hosted in the process through ref-counted leases. A model is loaded
/// with <see cref="WeightDtype.AsStored"/> (a BF16 checkpoint stays BF16) on first <see cref="Acquire"/> and disposed
/// once no lease holds it and it has been idle for <see cref="IdleKeepAlive"/> (so consecutive shards of one run do not
/// reload it, and a finished run's model does not stay resident). Loading a model first disposes every other idle
/// one: an idle reference kept for its keep-alive would otherwise sit beside the evaluation candidate that follows it
/// (3.5 GB at the 1.5B shape). Callers must not modify the model.
/// </summary>
public sealed class FrozenModelCache : IDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Func<string, string, CausalLM> load;
    private bool disposed;

    public FrozenModelCache() : this((folder, device) => CausalLM.Load(folder, device, WeightDtype.AsStored))
    {
    }

    /// <summary>With a custom loader (tests count loads with it).</summary>
    public FrozenModelCache(Func<string, string, CausalLM> load) => this.load = load;

    /// <summary>How long a model no lease holds stays loaded; zero disposes it with the last lease.</summary>
    public TimeSpan IdleKeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Models currently loaded (held or idle).</summary>
    public int LoadedCount
    {
        get
        {
            lock (gate)
                return entries.Values.Count(e => e.Model is not null);
        }
    }

    /// <summary>
    /// A lease on the model of <paramref name="folder"/> on <paramref name="device"/>, loading it if no one holds it;
    /// concurrent callers for the same model wait for one load. Dispose the lease when done with the model.
    /// </summary>
    public ModelLease Acquire(string folder, string device = "cpu")
    {
        var key = Path.GetFullPath(folder) + "|" + device;
        Entry entry;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                entries[key] = entry;
            }
            entry.Leases++;
            entry.IdleTimer?.Dispose();
            entry.IdleTimer = null;
        }
        try
        {
            lock (entry)
            {
                if (entry.Model is null)
                {
                    EvictIdle(entry);
                    entry.Model = load(folder, device);
                    entry.Tokenizer = new Lazy<TextTokenizer>(() => TextTokenizer.Load(folder));
                }
            }
            return new ModelLease(this, key, entry, entry.Model!, entry.Tokenizer!);
        }
        catch
        {
            Release(key, entry);
            throw;
        }
    }

    /// <summary>
    /// Disposes every loaded model that no lease holds, now rather than after its keep-alive: for a stage that loads a
    /// model outside this cache (the trainer's policy), which would otherwise sit beside an idle reference.
    /// </summary>
    public void ReleaseIdle() => EvictIdle(keep: null);

    /// <summary>Disposes every loaded model that no lease holds, except <paramref name="keep"/>'s.</summary>
    private void EvictIdle(Entry? keep)
    {
        List<CausalLM> idle = [];
        lock (gate)
        {
            foreach (var (key, other) in entries.ToList())
            {
                if (other == keep || other.Leases > 0 || other.Model is null)
                    continue;
                other.IdleTimer?.Dispose();
                other.IdleTimer = null;
                idle.Add(other.Model);
                other.Model = null;
                entries.Remove(key);
            }
        }
        Free(idle);
    }

    /// <summary>
    /// Disposes models and hands their pages back to the system: glibc keeps a disposed model's smaller tensors in its
    /// arenas, and the next load (on another thread, in another arena) does not reuse them. In the embedded 1.5B run the
    /// evicted reference's 3.6 GB stayed resident under the candidate being evaluated.
    /// </summary>
    private static void Free(IReadOnlyCollection<CausalLM> models)
    {
        foreach (var model in models)
            model.Dispose();
        if (models.Count > 0)
            Memory.NativeHeap.Trim();
    }

    private void Release(string key, Entry entry)
    {
        CausalLM? toDispose = null;
        lock (gate)
        {
            entry.Leases--;
            if (entry.Leases > 0)
                return;
            if (IdleKeepAlive <= TimeSpan.Zero || disposed || entry.Model is null)
            {
                entries.Remove(key);
                toDispose = entry.Model;
                entry.Model = null;
            }
            else
            {
                entry.IdleTimer = new Timer(_ => Expire(key, entry), null, IdleKeepAlive, Timeout.InfiniteTimeSpan);
            }
        }
        if (toDispose is null && entry.Model is { } idle)
        {
            // Kept for the next shard, but not its decoder's packed weights (another copy of the model: 3.5 GB at the
            // 1.5B shape, held through the next stage's start); the next generate call packs them again.
            Inference.ManagedGeneration.Release(idle);
        }
        if (toDispose is not null)
            Free([toDispose]);
    }

    private void Expire(string key, Entry entry)
    {
        CausalLM? toDispose = null;
        lock (gate)
        {
            if (entry.Leases > 0 || !entries.TryGetValue(key, out var current) || current != entry)
                return;
            entries.Remove(key);
            entry.IdleTimer?.Dispose();
            toDispose = entry.Model;
            entry.Model = null;
        }
        lock (entry)
        {
            if (toDispose is not null)
                Free([toDispose]);
        }
    }

    public void Dispose()
    {
        List<CausalLM> models;
        lock (gate)
        {
            disposed = true;
            models = entries.Values.Where(e => e.Model is not null).Select(e => e.Model!).ToList();
            foreach (var entry in entries.Values)
                entry.IdleTimer?.Dispose();
            entries.Clear();
        }
        foreach (var model in models)
            model.Dispose();
    }

    private sealed class Entry
    {
        public int Leases;
        public CausalLM? Model;
        public Lazy<TextTokenizer>? Tokenizer;
        public Timer? IdleTimer;
    }

    /// <summary>A hold on a shared frozen model; the model stays loaded until every lease is disposed.</summary>
    public sealed class ModelLease : IDisposable
    {
        private readonly FrozenModelCache owner;
        private readonly string key;
        private readonly Entry entry;
        private int released;

        private readonly Lazy<TextTokenizer> tokenizer;

        internal ModelLease(FrozenModelCache owner, string key, object entry, CausalLM model, Lazy<TextTokenizer> tokenizer)
        {
            this.owner = owner;
            this.key = key;
            this.entry = (Entry)entry;
            this.tokenizer = tokenizer;
            Model = model;
        }

        public CausalLM Model { get; }

        /// <summary>The model folder's tokenizer, read on first use.</summary>
        public TextTokenizer Tokenizer => tokenizer.Value;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                owner.Release(key, entry);
        }
    }
}
