using PrunerPipeline.Model.Tests.Decoder;

namespace PrunerPipeline.Model.Tests.RealSize;

public sealed class When_frozen_models_are_shared
{
    private int loads;

    private FrozenModelCache Cache(TimeSpan keepAlive) => new((folder, device) =>
    {
        Interlocked.Increment(ref loads);
        return CausalLM.Load(folder, device, WeightDtype.AsStored);
    })
    { IdleKeepAlive = keepAlive };

    [Fact]
    public void Two_services_leasing_one_model_get_one_instance_loaded_once()
    {
        using var cache = Cache(TimeSpan.Zero);

        using var sampling = cache.Acquire(Fixture.Folder);
        using var evaluation = cache.Acquire(Fixture.Folder);

        Assert.Same(sampling.Model, evaluation.Model);
        Assert.Equal(1, loads);
        Assert.Equal(1, cache.LoadedCount);
    }

    [Fact]
    public void The_model_is_released_when_no_lease_holds_it()
    {
        using var cache = Cache(TimeSpan.Zero);
        var first = cache.Acquire(Fixture.Folder);
        var second = cache.Acquire(Fixture.Folder);

        first.Dispose();
        Assert.Equal(1, cache.LoadedCount);
        second.Dispose();
        second.Dispose();
        Assert.Equal(0, cache.LoadedCount);

        using var again = cache.Acquire(Fixture.Folder);
        Assert.Equal(2, loads);
    }

    [Fact]
    public void An_idle_model_stays_for_the_keep_alive_then_goes()
    {
        using var cache = Cache(TimeSpan.FromMilliseconds(300));
        cache.Acquire(Fixture.Folder).Dispose();
        using (cache.Acquire(Fixture.Folder))
            Assert.Equal(1, loads);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (cache.LoadedCount > 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.Equal(0, cache.LoadedCount);
    }

    [Fact]
    public void Loading_another_model_first_disposes_the_idle_ones_but_never_a_held_one()
    {
        using var folder = new PrunerPipeline.TestSupport.TemporaryFolder("frozen-evict");
        var copy = Directory.CreateDirectory(Path.Combine(folder.Path, "copy")).FullName;
        Fixture.CopyTo(copy);
        var other = Directory.CreateDirectory(Path.Combine(folder.Path, "other")).FullName;
        Fixture.CopyTo(other);
        using var cache = Cache(TimeSpan.FromMinutes(10));
        cache.Acquire(Fixture.Folder).Dispose();
        Assert.Equal(1, cache.LoadedCount);
        using (var held = cache.Acquire(copy))
        {
            // The idle fixture model went when the copy was loaded; the held copy stays while a third one loads.
            Assert.Equal(1, cache.LoadedCount);
            using var third = cache.Acquire(other);
            Assert.Equal(2, cache.LoadedCount);
            Assert.False(held.Model.Module.parameters().First().IsInvalid);
        }
        Assert.Equal(2, cache.LoadedCount);
        using var again = cache.Acquire(copy);
        Assert.Equal(2, cache.LoadedCount);
    }

    [Fact]
    public void A_failed_load_leaves_nothing_behind()
    {
        using var cache = Cache(TimeSpan.FromMinutes(1));

        Assert.ThrowsAny<Exception>(() => cache.Acquire(Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid())));
        Assert.Equal(0, cache.LoadedCount);
    }
}
