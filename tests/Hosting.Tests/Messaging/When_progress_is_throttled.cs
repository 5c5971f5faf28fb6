using PrunerPipeline.Hosting.Messaging;

namespace PrunerPipeline.Hosting.Tests.Messaging;

public class When_progress_is_throttled
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void The_first_update_goes_out_then_one_per_interval_and_the_final_one_always()
    {
        var clock = new ManualClock();
        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(2), clock);
        Assert.True(throttle.ShouldReport(final: false));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(throttle.ShouldReport(final: false));
        clock.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.False(throttle.ShouldReport(final: false));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(throttle.ShouldReport(final: false));
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(throttle.ShouldReport(final: true));
        // The interval counts from the last update that went out, the final one included.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.ShouldReport(final: false));
    }
}
