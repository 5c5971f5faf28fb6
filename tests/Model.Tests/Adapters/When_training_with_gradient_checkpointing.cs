using PrunerPipeline.Model.Adapters;

namespace PrunerPipeline.Model.Tests.Adapters;

// Dropout draws from torch's global generator, which tests running in parallel would also draw from.
[Collection(GlobalGeneratorCollection.Name)]
public class When_training_with_gradient_checkpointing
{
    private static readonly int[][] Prompts = [[3, 17, 20, 5], [8, 1, 9]];
    private static readonly int[][] Completions = [[9, 11, 42, 7, 2], [30, 2, 60, 5, 6, 12, 13]];

    private static Dictionary<string, float[]> Gradients(CausalLM model, bool checkpointing)
    {
        model.Module.train();
        model.Module.Decoder.GradientCheckpointing = checkpointing;
        foreach (var p in model.Module.parameters())
        {
            p.grad?.zero_();
        }
        using (var scope = NewDisposeScope())
        {
            torch.manual_seed(5);
            var (logProbs, mask) = TeacherForcing.CompletionLogProbs(model.Module, Prompts, Completions);
            var loss = -(logProbs * mask).sum() / mask.sum();
            loss.backward();
        }
        return model.Module.named_parameters().Where(p => p.parameter.requires_grad)
            .ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
    }

    private static void AssertSame(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
        {
            var worst = values.Zip(actual[name], (x, y) => Math.Abs(x - y)).Max();
            Assert.True(worst <= 1e-6, $"{name}: gradients differ by {worst:G3}");
            Assert.True(values.Any(v => v != 0), $"{name}: no gradient at all");
        }
    }

    [Fact]
    public void Full_fine_tuning_gets_the_same_gradients_within_1e_6()
    {
        using var model = CausalLM.Create(LoraTestModels.SmallConfig(), seed: 4);
        var plain = Gradients(model, checkpointing: false);
        var recomputed = Gradients(model, checkpointing: true);
        Assert.Contains("model.embed_tokens.weight", recomputed.Keys);
        AssertSame(plain, recomputed);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void A_lora_policy_gets_the_same_gradients_within_1e_6(double dropout)
    {
        using var model = CausalLM.Create(LoraTestModels.SmallConfig(tied: true), seed: 4);
        LoraInjection.Apply(model.Module, LoraTestModels.AllTargets with { Dropout = dropout }, seed: 2);
        LoraTestModels.Perturb(model.Module, 8);
        var plain = Gradients(model, checkpointing: false);
        var recomputed = Gradients(model, checkpointing: true);
        Assert.Equal(2 * 7 * 2, recomputed.Count);
        AssertSame(plain, recomputed);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "torch global generator";
}
