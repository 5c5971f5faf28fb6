using PrunerPipeline.Training.Builtin;

namespace PrunerPipeline.Datasets.Tests;

public class When_scheduling_the_learning_rate
{
    [Fact]
    public void It_warms_up_linearly_then_decays_by_cosine_to_the_floor()
    {
        var schedule = new WarmupCosineSchedule(PeakLearningRate: 1e-3, WarmupSteps: 10, TotalSteps: 111, MinRatio: 0.1);

        Assert.Equal(1e-4, schedule.At(0), 12);
        Assert.Equal(1e-3, schedule.At(9), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
        Assert.Equal(1e-3 * (0.1 + 0.9 * 0.5), schedule.At(60), 12);
        Assert.Equal(1e-4, schedule.At(110), 12);
        for (var step = 11; step < 111; step++)
            Assert.True(schedule.At(step) <= schedule.At(step - 1));
    }
}
