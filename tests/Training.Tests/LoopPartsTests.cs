using TorchSharp.Modules;

namespace PrunerPipeline.Training.Tests;

public class When_the_learning_rate_is_scheduled
{
    [Fact]
    public void It_warms_up_linearly_then_decays_along_a_cosine_to_the_floor()
    {
        var schedule = new LearningRateSchedule(Peak: 1e-3, WarmupSteps: 4, TotalSteps: 21, MinRatio: 0.1);
        Assert.Equal(0.25e-3, schedule.At(0), 12);
        Assert.Equal(1e-3, schedule.At(3), 12);
        Assert.Equal(1e-3, schedule.At(4), 12);
        // Halfway through the 16 decay steps the cosine is at the middle of [floor, peak].
        Assert.Equal(0.55e-3, schedule.At(12), 12);
        Assert.Equal(1e-4, schedule.At(20), 12);
        var decay = Enumerable.Range(4, 17).Select(schedule.At).ToArray();
        Assert.True(decay.Zip(decay.Skip(1)).All(p => p.First > p.Second));
    }
}

public class When_a_step_is_split_into_micro_batches
{
    [Fact]
    public void Each_example_lands_once_sorted_by_length_and_within_the_budget()
    {
        var lengths = new[] { 40, 5, 33, 8, 21, 7, 50, 12 };
        var batches = MicroBatchPlanner.Plan(Enumerable.Range(0, lengths.Length).ToArray(), i => (1, lengths[i]), maxTokens: 60);
        Assert.Equal(Enumerable.Range(0, lengths.Length), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.True(b.Count * b.Max(i => lengths[i]) <= 60));
        var flat = batches.SelectMany(b => b).Select(i => lengths[i]).ToArray();
        Assert.Equal(flat.Order(), flat);
    }

    [Fact]
    public void A_micro_batch_ends_where_padding_would_pass_a_quarter_of_it()
    {
        // Budget is no bound here: lengths 10, 11, 12 share a batch (padding 3 of 36), 20 would make it 40 of 80.
        var lengths = new[] { 20, 10, 12, 11, 21, 22 };
        var batches = MicroBatchPlanner.Plan(Enumerable.Range(0, lengths.Length).ToArray(), i => (1, lengths[i]), maxTokens: 10_000);
        Assert.Equal([[10, 11, 12], [20, 21, 22]], batches.Select(b => b.Select(i => lengths[i]).ToArray()).ToArray());
        Assert.All(batches, b => Assert.True(b.Count * b.Max(i => lengths[i]) - b.Sum(i => lengths[i]) <= MicroBatchPlanner.MaxPaddingShare * b.Count * b.Max(i => lengths[i])));
        // Equal lengths never pad: one micro-batch, as before.
        Assert.Single(MicroBatchPlanner.Plan(Enumerable.Range(0, 16).ToArray(), _ => (1, 90), maxTokens: 16 * 90));
    }

    [Fact]
    public void An_example_longer_than_the_budget_goes_alone()
    {
        var batches = MicroBatchPlanner.Plan([0, 1], i => (2, i == 0 ? 100 : 3), maxTokens: 50);
        Assert.Equal(2, batches.Count);
    }
}

public class When_adamw_steps
{
    [Fact]
    public void It_matches_torch_adamw()
    {
        torch.manual_seed(1);
        var ours = new Parameter(randn(3, 4));
        var theirs = new Parameter(ours.detach().clone());
        using var optimizer = new AdamWOptimizer([("w", ours)], 0.9, 0.999, 1e-8, weightDecay: 0.01);
        var reference = torch.optim.AdamW([theirs], lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01);
        for (var step = 0; step < 5; step++)
        {
            var target = randn(3, 4);
            optimizer.ZeroGrad();
            (ours - target).square().sum().backward();
            optimizer.Step(1e-2);
            reference.zero_grad();
            (theirs - target).square().sum().backward();
            reference.step();
        }
        var a = ours.detach().data<float>().ToArray();
        var b = theirs.detach().data<float>().ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(b[i], a[i], 5);
        }
    }
}
