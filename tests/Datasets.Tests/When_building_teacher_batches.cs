using PrunerPipeline.LongThought.Builtin;

namespace PrunerPipeline.Datasets.Tests;

public class When_building_teacher_batches
{
    [Fact]
    public void Only_completion_tokens_are_targets_and_padding_is_ignored()
    {
        var (inputs, targets, learned) = TeacherBatch.Build(
            [new TeacherExampleTokens([1, 2, 3], [4, 5]), new TeacherExampleTokens([1, 2], [6])],
            padTokenId: 0);

        Assert.Equal(new long[] { 2, 4 }, inputs.shape);
        Assert.Equal([1L, 2, 3, 4, 1, 2, 0, 0], inputs.data<long>().ToArray());
        Assert.Equal([-100L, -100, 4, 5, -100, 6, -100, -100], targets.data<long>().ToArray());
        Assert.Equal(3, learned);
    }
}
