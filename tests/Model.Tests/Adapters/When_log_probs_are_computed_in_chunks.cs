using PrunerPipeline.Model.Modules;

namespace PrunerPipeline.Model.Tests.Adapters;

/// <summary>
/// The chunked LM head (<see cref="ChunkedTokenLogProbs"/>) against the plain log_softmax(h Wᵀ)[y]: the same values and the
/// same gradients for h and W, with chunks that do not divide the rows, tied and untied heads, trained and frozen 16-bit W.
/// </summary>
public class When_log_probs_are_computed_in_chunks
{
    private const int Rows = 11;

    private static (float[] Values, float[] HiddenGrad, float[]? WeightGrad) Run(Tensor weight, bool chunked, long rowsPerChunk = 3)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(7);
        var hidden = randn([Rows, weight.shape[1]], generator: generator).requires_grad_(true);
        var targets = randint(0, weight.shape[0], [Rows], generator: generator);
        var coefficients = randn([Rows], generator: generator);
        if (weight.requires_grad)
            weight.grad?.zero_();
        var picked = chunked
            ? ChunkedTokenLogProbs.Forward(hidden, weight, targets, rowsPerChunk)
            : nn.functional.linear(hidden, weight.dtype == ScalarType.Float32 ? weight : weight.to_type(ScalarType.Float32))
                .log_softmax(-1).gather(1, targets.unsqueeze(1)).squeeze(1);
        (picked * coefficients).sum().backward();
        return (picked.detach().data<float>().ToArray(), hidden.grad!.data<float>().ToArray(),
            weight.requires_grad ? weight.grad!.data<float>().ToArray() : null);
    }

    private static void AssertClose(float[] expected, float[] actual, double bound, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst <= bound, $"{what}: differ by {worst:G3}");
        Assert.True(expected.Any(v => v != 0), $"{what}: all zero");
    }

    [Theory]
    [InlineData(false, 3)]
    [InlineData(true, 3)]
    [InlineData(true, 1)]
    [InlineData(true, 64)]
    public void A_trained_head_gets_the_plain_values_and_gradients(bool tied, long rowsPerChunk)
    {
        using var model = CausalLM.Create(LoraTestModels.SmallConfig(tied), seed: 4);
        var weight = model.Module.named_parameters().Single(p => p.name == (tied ? "model.embed_tokens.weight" : "lm_head.weight")).parameter;

        var plain = Run(weight, chunked: false);
        var chunked = Run(weight, chunked: true, rowsPerChunk);

        AssertClose(plain.Values, chunked.Values, 1e-6, "log-probs");
        AssertClose(plain.HiddenGrad, chunked.HiddenGrad, 1e-6, "hidden gradient");
        AssertClose(plain.WeightGrad!, chunked.WeightGrad!, 1e-6, "weight gradient");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_model_s_head_outlives_the_scope_its_log_probs_were_computed_in(bool tied)
    {
        // The trainer computes log-probs inside a micro-batch's dispose scope and back-propagates after it: a full
        // fine-tuning of the tied Qwen2.5-0.5B shape failed there ("Tensor invalid -- empty handle" in backward).
        using var model = CausalLM.Create(LoraTestModels.SmallConfig(tied), seed: 4);
        model.Module.ChunkedFromBytes = 0;
        using var hidden = randn([Rows, 32], generator: new TorchSharp.torch.Generator(9)).requires_grad_(true);
        using var targets = randint(0, 64, [Rows], generator: new TorchSharp.torch.Generator(10));
        Tensor picked;
        using (NewDisposeScope())
            picked = model.Module.TargetLogProbs(hidden, targets).MoveToOuterDisposeScope();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        using (picked)
            picked.sum().backward();

        Assert.True(hidden.grad!.abs().sum().item<float>() > 0);
        var weight = model.Module.named_parameters().Single(p => p.name == (tied ? "model.embed_tokens.weight" : "lm_head.weight")).parameter;
        Assert.True(weight.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void A_frozen_bf16_head_is_upcast_and_gets_no_gradient()
    {
        using var weight = randn([64, 32], generator: new TorchSharp.torch.Generator(3)).to_type(ScalarType.BFloat16);

        var plain = Run(weight, chunked: false);
        var chunked = Run(weight, chunked: true);

        Assert.Null(chunked.WeightGrad);
        AssertClose(plain.Values, chunked.Values, 1e-5, "log-probs");
        AssertClose(plain.HiddenGrad, chunked.HiddenGrad, 1e-5, "hidden gradient");
    }

    [Fact]
    public void Without_gradients_it_is_a_plain_forward()
    {
        using var model = CausalLM.Create(LoraTestModels.SmallConfig(), seed: 4);
        var weight = model.Module.named_parameters().Single(p => p.name == "lm_head.weight").parameter;
        using var noGrad = no_grad();
        using var hidden = randn([Rows, 32], generator: new TorchSharp.torch.Generator(9));
        using var targets = randint(0, 64, [Rows], generator: new TorchSharp.torch.Generator(10));

        using var chunked = ChunkedTokenLogProbs.Forward(hidden, weight, targets, rowsPerChunk: 4);
        using var plain = nn.functional.linear(hidden, weight).log_softmax(-1).gather(1, targets.unsqueeze(1)).squeeze(1);

        AssertClose(plain.data<float>().ToArray(), chunked.data<float>().ToArray(), 1e-6, "log-probs");
        Assert.False(chunked.requires_grad);
    }
}
