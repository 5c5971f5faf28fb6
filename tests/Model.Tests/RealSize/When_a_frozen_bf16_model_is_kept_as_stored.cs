using PrunerPipeline.Model.Tests.Decoder;
using Xunit.Abstractions;

namespace PrunerPipeline.Model.Tests.RealSize;

/// <summary>
/// <see cref="WeightDtype.AsStored"/>: a BF16 checkpoint stays BF16 in memory, compute stays float32 (one matrix
/// upcast per product), so the logits equal the float32 load of the same BF16 file (measured: 0, bit-identical) and
/// differ from the original float32 fixture only by BF16's rounding of the weights (measured: max 1.23e-2 on logits
/// whose magnitude reaches ~4, a relative 3e-3: BF16 keeps 8 mantissa bits).
/// </summary>
public sealed class When_a_frozen_bf16_model_is_kept_as_stored(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryFolder folder = new("bf16");

    private string Bf16Fixture()
    {
        using var original = CausalLM.Load(Fixture.Folder);
        original.Save(folder.Path, dtype: "BF16");
        return folder.Path;
    }

    private static Tensor Logits(CausalLM model, long[] ids)
    {
        using var noGrad = no_grad();
        using var input = tensor(ids, ScalarType.Int64).unsqueeze(0);
        return model.Module.forward(input);
    }

    [Fact]
    public void Its_weights_are_bf16_and_half_the_bytes()
    {
        var path = Bf16Fixture();
        using var resident = CausalLM.Load(path, dtype: WeightDtype.AsStored);
        using var widened = CausalLM.Load(path);

        Assert.Equal(ScalarType.BFloat16, resident.ParameterDtype);
        Assert.Equal(ScalarType.Float32, widened.ParameterDtype);
        Assert.All(resident.Module.parameters(), p => Assert.False(p.requires_grad));
        long Bytes(CausalLM m) => m.Module.parameters().Sum(p => p.numel() * p.element_size());
        Assert.Equal(Bytes(widened), 2 * Bytes(resident));
    }

    [Fact]
    public void Its_logits_match_float32_and_greedy_ids_are_equal()
    {
        var path = Bf16Fixture();
        using var resident = CausalLM.Load(path, dtype: WeightDtype.AsStored);
        using var widened = CausalLM.Load(path);
        using var original = CausalLM.Load(Fixture.Folder);
        var ids = Fixture.Ints(Fixture.Expected()["sequences"]![0]!["input_ids"]).Select(i => (long)i).ToArray();

        using var r = Logits(resident, ids);
        using var w = Logits(widened, ids);
        using var o = Logits(original, ids);
        var sameFile = (r - w).abs().max().item<float>();
        var vsOriginal = (r - o).abs().max().item<float>();
        var scale = o.abs().max().item<float>();
        output.WriteLine($"max |logit difference|: BF16-resident vs float32 load of the same BF16 file {sameFile:E2}; vs the original float32 fixture {vsOriginal:E2} (max |logit| {scale:F2})");
        // The dtype seam itself adds nothing: same file, same float32 compute.
        Assert.True(sameFile <= 1e-5, $"BF16-resident vs float32 of the same file: {sameFile}");
        // Against the unrounded float32 weights: 1e-2 relative to the logits' scale.
        Assert.True(vsOriginal <= 1e-2 * Math.Max(1, scale), $"BF16-resident vs the float32 original: {vsOriginal} (max |logit| {scale})");

        var prompts = new[] { ids.Take(8).Select(i => (int)i).ToArray() };
        var options = new SamplingOptions { MaxNewTokens = 16, Temperature = 0, Engine = DecodeEngine.Torch };
        Assert.Equal(Generator.Generate(widened, prompts, options)[0].TokenIds, Generator.Generate(resident, prompts, options)[0].TokenIds);
        // Auto picks an engine that can read 16-bit weights: the answer must not change.
        Assert.Equal(Generator.Generate(widened, prompts, options)[0].TokenIds, Generator.Generate(resident, prompts, options with { Engine = DecodeEngine.Auto })[0].TokenIds);
    }

    [Fact]
    public void A_float32_checkpoint_stays_float32()
    {
        using var model = CausalLM.Load(Fixture.Folder, dtype: WeightDtype.AsStored);

        Assert.Equal(ScalarType.Float32, model.ParameterDtype);
        Fixture.AssertParity(model);
    }

    public void Dispose() => folder.Dispose();
}
