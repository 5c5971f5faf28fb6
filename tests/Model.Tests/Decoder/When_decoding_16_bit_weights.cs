using PrunerPipeline.Model.Inference;

namespace PrunerPipeline.Model.Tests.Decoder;

/// <summary>
/// The managed engine on bfloat16 / float16 weights: widening, kernels against the float32 path on the same (converted)
/// weights, precision choice, greedy ids on the fixture.
/// </summary>
[Collection(ManagedEngineCollection.Name)]
public class When_decoding_16_bit_weights
{
    private static float[][] StepLogits(ManagedDecoder decoder, int[][] prompts, int steps, int threads)
    {
        using var session = new DecodeSession(decoder, prompts.Length, prompts.Max(p => p.Length), prompts.Max(p => p.Length) + steps, threads);
        var all = new List<float[]>();
        var rows = session.PrefillLogits(prompts);
        for (var step = 0; ; step++)
        {
            all.AddRange(rows);
            if (step == steps)
                return all.ToArray();
            rows = session.StepLogits(rows.Select(r => Array.IndexOf(r, r.Max())).ToArray());
        }
    }

    private static double MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b).Max(pair => pair.First.Zip(pair.Second).Max(v => Math.Abs((double)v.First - v.Second)));

    [Theory]
    [InlineData("bf16")]
    [InlineData("f16")]
    public void Vector_widening_gives_the_scalar_conversion_of_every_slot(string dtype)
    {
        var format = dtype == "bf16" ? PackedFormat.BFloat16 : PackedFormat.Float16;
        var random = new Random(5);
        for (var trial = 0; trial < 2000; trial++)
        {
            var slots = new ushort[16];
            for (var s = 0; s < 16; s++)
            {
                ushort bits;
                do
                {
                    bits = (ushort)random.Next(65536);
                }
                // Finite values only (subnormal halves included): checkpoints hold no infinities or NaNs.
                while (format == PackedFormat.Float16 ? (bits & 0x7C00) == 0x7C00 : (bits & 0x7F80) == 0x7F80);
                slots[s] = bits;
            }
            var widened = Kernels.WidenGroup(slots, format);
            for (var column = 0; column < 16; column++)
            {
                var bits = slots[PackedMatrix.SlotOf(column)];
                var expected = format == PackedFormat.BFloat16 ? Numbers.FromBFloat16(bits) : Numbers.FromHalf(bits);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(widened[column]));
            }
        }
    }

    [Fact]
    public void Rounding_to_bfloat16_matches_torch()
    {
        var random = new Random(9);
        var values = Enumerable.Range(0, 4096).Select(_ => (float)(random.NextDouble() * 2 - 1) * MathF.Pow(2, random.Next(-20, 20))).ToArray();
        using var t = tensor(values).to_type(ScalarType.BFloat16).to_type(ScalarType.Float32);
        var expected = t.data<float>().ToArray();
        for (var i = 0; i < values.Length; i++)
            Assert.Equal(expected[i], Numbers.FromBFloat16(Numbers.ToBFloat16(values[i])));
    }

    /// <summary>
    /// Same weights (the model converted to bfloat16/float16), two snapshots: 16-bit packed and widened to float32.
    /// On AVX2 and scalar the 16-bit tiles accumulate every output in the float32 tiles' order, so the logits are equal
    /// bit for bit; the stated bound, 1e-5, leaves room for AVX-512's different float32 tiles.
    /// </summary>
    [Theory]
    [InlineData("qwen2-bias-tied-g2", false)]
    [InlineData("llama-mlp-bias-g2-odd", false)]
    [InlineData("qwen2-nobias-untied-g1", false)]
    [InlineData("qwen2-bias-g4-odd", true)]
    public void Packed_16_bit_weights_give_the_float32_path_logits_on_the_same_weights(string config, bool scalar)
    {
        var original = Kernels.Level;
        try
        {
            if (scalar)
                Kernels.Level = KernelLevel.Scalar;
            foreach (var dtype in new[] { ScalarType.BFloat16, ScalarType.Float16 })
            {
                using var model = When_decoding_with_the_managed_engine.RandomModel(config);
                model.Module.to(dtype);
                var prompts = When_decoding_with_the_managed_engine.PromptsFor(model.Config.VocabSize);
                using var packed16 = ManagedDecoder.From(model);
                Assert.Equal(dtype == ScalarType.BFloat16 ? "bf16" : "f16", packed16.DtypeName);
                using var widened = ManagedDecoder.From(model, WeightPrecision.F32);
                Assert.Equal("f32", widened.DtypeName);
                Assert.Equal(widened.StreamedBytes, 2 * packed16.StreamedBytes);
                var difference = MaxDifference(StepLogits(widened, prompts, 8, 2), StepLogits(packed16, prompts, 8, 2));
                Assert.True(difference <= 1e-5, $"{dtype}: logits differ by {difference}");
            }
        }
        finally
        {
            Kernels.Level = original;
        }
    }

    /// <summary>
    /// A float32 model decoded with its weights rounded to bfloat16 (what <c>--dtype bf16</c> does to a float32
    /// checkpoint) against the float32 engine: the rounding (relative 2⁻⁹ per weight) moves the fixture's logits by
    /// at most 0.05 here (measured 0.021 over 13 steps of 3 prompts), and the greedy ids of the fixture's own greedy test stay the same.
    /// </summary>
    [Fact]
    public void Bfloat16_rounding_of_the_fixture_keeps_its_greedy_ids_and_moves_logits_within_a_bound()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var prompts = When_decoding_with_the_managed_engine.PromptsFor(model.Config.VocabSize);
        using var f32 = ManagedDecoder.From(model);
        using var bf16 = ManagedDecoder.From(model, WeightPrecision.BF16);
        var difference = MaxDifference(StepLogits(f32, prompts, 12, 2), StepLogits(bf16, prompts, 12, 2));
        Assert.True(difference <= 0.05, $"logits differ by {difference}");

        var greedy = Fixture.Expected()["greedy"]!;
        var prompt = Fixture.Ints(greedy["prompt"]);
        var options = new SamplingOptions { MaxNewTokens = greedy["new_tokens"]!.GetValue<int>(), Temperature = 0, Engine = DecodeEngine.Managed };
        var expected = Fixture.Ints(greedy["ids"]);
        Assert.Equal(expected, Generator.Generate(model, [prompt], options with { Weights = WeightPrecision.BF16 })[0].TokenIds);
        Assert.Equal(expected, Generator.Generate(model, [prompt], options with { Weights = WeightPrecision.F32 })[0].TokenIds);
        // The fixture converted to bfloat16 parameters: Auto keeps them 16-bit and decodes the same ids.
        model.Module.to(ScalarType.BFloat16);
        Assert.True(ManagedDecoder.Supports(model, out _));
        Assert.Equal(expected, Generator.Generate(model, [prompt], options)[0].TokenIds);
    }
}
