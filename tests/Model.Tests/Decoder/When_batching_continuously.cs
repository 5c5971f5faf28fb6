using PrunerPipeline.Model.Inference;

namespace PrunerPipeline.Model.Tests.Decoder;

/// <summary>
/// Continuous batching: more prompts than slots, refilled as sequences stop, prompts prefilled in chunks; every
/// sequence must come out as if it had been decoded alone with its seed.
/// </summary>
[Collection(ManagedEngineCollection.Name)]
public class When_batching_continuously
{
    /// <summary>Eleven prompts of lengths 1 to 37 (longer than the prefill chunk, so some are split).</summary>
    private static int[][] Prompts(int vocab)
    {
        var random = new Random(21);
        return new[] { 5, 1, 37, 12, 2, 30, 9, 18, 3, 25, 7 }.Select(n => Enumerable.Range(0, n).Select(_ => random.Next(vocab)).ToArray()).ToArray();
    }

    private static void AssertSame(IReadOnlyList<GeneratedSequence> expected, IReadOnlyList<GeneratedSequence> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].TokenIds, actual[i].TokenIds);
            Assert.Equal(expected[i].FinishReason, actual[i].FinishReason);
            // Exact: a row's numbers never depend on its neighbours (every tile accumulates a row in the same order).
            Assert.Equal(expected[i].LogProbs, actual[i].LogProbs);
        }
    }

    private static GeneratedSequence[] OneAtATime(CausalLM model, int[][] prompts, SamplingOptions options) =>
        prompts.Select((p, i) => Generator.Generate(model, [p], options with { SequenceSeeds = [options.SequenceSeeds![i]] })[0]).ToArray();

    [Theory]
    [InlineData("qwen2-bias-tied-g2", 1.0, 0.9, 3)]
    [InlineData("qwen2-bias-tied-g2", 0.0, 1.0, 4)]
    [InlineData("llama-mlp-bias-g2-odd", 1.2, 1.0, 2)]
    [InlineData("qwen2-nobias-untied-g1", 0.0, 1.0, 5)]
    public void Every_sequence_equals_decoding_it_alone_with_its_seed(string config, double temperature, double topP, int slots)
    {
        using var model = When_decoding_with_the_managed_engine.RandomModel(config);
        var vocab = model.Config.VocabSize;
        var prompts = Prompts(vocab);
        // Many stop ids: sampled sequences stop at scattered steps; greedy ones mostly run to the limit or stop early.
        var stops = Enumerable.Range(0, vocab / 12).Select(i => i * 12 + 5).ToArray();
        var options = new SamplingOptions
        {
            MaxNewTokens = 24, Temperature = temperature, TopP = topP, StopTokenIds = stops, Engine = DecodeEngine.Managed,
            SequenceSeeds = Enumerable.Range(0, prompts.Length).Select(i => 1000L + 7 * i).ToArray(),
            Concurrency = slots, PrefillChunk = 8,
        };
        var finishedOrder = new List<int>();
        var continuous = Generator.Generate(model, prompts, options, onSequence: (i, _) => finishedOrder.Add(i));
        var alone = OneAtATime(model, prompts, options with { Concurrency = 0 });
        AssertSame(alone, continuous);
        Assert.Equal(Enumerable.Range(0, prompts.Length), finishedOrder.Order());
        // The lengths really differ, so slots were refilled while others decoded.
        Assert.True(continuous.Select(s => s.TokenIds.Length).Distinct().Count() > 1);
        // Static batching of the same size, and the torch engine's static batches, give the same sequences too.
        AssertSame(alone, Generator.Generate(model, prompts, options with { Batching = BatchingMode.Static }));
        var torch = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Torch });
        Assert.Equal(alone.Select(s => s.TokenIds), torch.Select(s => s.TokenIds));
    }

    /// <summary>
    /// 16-bit weights: every tile (AVX-512 4 × 64 and 1 × 64, AVX2 2 × 32 and 1 × 64) accumulates a row in the same
    /// order from the same start, so a row's log-probs are bit for bit those of decoding it alone, on every CPU.
    /// </summary>
    [Theory]
    [InlineData("qwen2-bias-tied-g2", 1.0, 5)]
    [InlineData("llama-mlp-bias-g2-odd", 0.0, 6)]
    public void With_16_bit_weights_every_sequence_equals_decoding_it_alone_exactly(string config, double temperature, int slots)
    {
        using var model = When_decoding_with_the_managed_engine.RandomModel(config);
        model.Module.to(torch.ScalarType.BFloat16);
        var vocab = model.Config.VocabSize;
        var prompts = Prompts(vocab);
        var options = new SamplingOptions
        {
            MaxNewTokens = 20, Temperature = temperature, StopTokenIds = Enumerable.Range(0, vocab / 10).Select(i => i * 10 + 3).ToArray(),
            Engine = DecodeEngine.Managed, Concurrency = slots, PrefillChunk = 8,
            SequenceSeeds = Enumerable.Range(0, prompts.Length).Select(i => 77L + 5 * i).ToArray(),
        };
        var continuous = Generator.Generate(model, prompts, options);
        var alone = OneAtATime(model, prompts, options with { Concurrency = 0 });
        Assert.True(continuous.Select(s => s.TokenIds.Length).Distinct().Count() > 1);
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i].TokenIds, continuous[i].TokenIds);
            Assert.Equal(alone[i].LogProbs, continuous[i].LogProbs);
        }
    }

    [Fact]
    public void A_prompt_longer_than_the_chunk_prefills_in_pieces_with_the_same_result()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var prompts = Prompts(model.Config.VocabSize);
        var options = new SamplingOptions
        {
            MaxNewTokens = 16, Temperature = 1.0, Engine = DecodeEngine.Managed, Concurrency = 3,
            SequenceSeeds = Enumerable.Range(0, prompts.Length).Select(i => (long)i * 31).ToArray(),
        };
        var whole = Generator.Generate(model, prompts, options with { PrefillChunk = 64 });
        foreach (var chunk in new[] { 1, 5, 16 })
            AssertSame(whole, Generator.Generate(model, prompts, options with { PrefillChunk = chunk }));
    }

    [Fact]
    public void Per_sequence_length_limits_end_each_sequence_exactly_there()
    {
        using var model = When_decoding_with_the_managed_engine.RandomModel("qwen2-bias-tied-g2");
        var prompts = Prompts(model.Config.VocabSize);
        var limits = Enumerable.Range(0, prompts.Length).Select(i => 1 + i * 3 % 17).ToArray();
        var options = new SamplingOptions
        {
            MaxNewTokens = 17, SequenceMaxNewTokens = limits, Temperature = 0, Engine = DecodeEngine.Managed, Concurrency = 4,
            SequenceSeeds = Enumerable.Range(0, prompts.Length).Select(i => (long)i).ToArray(),
        };
        var continuous = Generator.Generate(model, prompts, options);
        Assert.Equal(limits, continuous.Select(s => s.TokenIds.Length));
        Assert.All(continuous, s => Assert.Equal(GeneratedSequence.Length, s.FinishReason));
        AssertSame(continuous, Generator.Generate(model, prompts, options with { Batching = BatchingMode.Static }));
        var torch = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Torch });
        Assert.Equal(continuous.Select(s => s.TokenIds), torch.Select(s => s.TokenIds));
        Assert.Contains("SequenceMaxNewTokens", Assert.Throws<ArgumentException>(() =>
            Generator.Generate(model, prompts, options with { SequenceMaxNewTokens = limits.Select(l => l + 17).ToArray() })).Message);
    }

    [Fact]
    public void A_session_keeps_each_slot_on_its_own_positions()
    {
        using var model = When_decoding_with_the_managed_engine.RandomModel("qwen2-bias-g4-odd");
        using var decoder = ManagedDecoder.From(model);
        using var session = new DecodeSession(decoder, 2, 8, 32, 1);
        var segments = new[] { new Segment(0, 3, true), new Segment(1, 5, false) };
        Assert.Single(session.ForwardLogits([1, 2, 3, 4, 5, 6, 7, 8], segments));
        Assert.Equal(3, session.Filled(0));
        Assert.Equal(5, session.Filled(1));
        session.ResetSlot(0);
        Assert.Equal(0, session.Filled(0));
        Assert.Throws<ArgumentException>(() => session.ForwardLogits([1, 2], [new Segment(1, 1, true), new Segment(1, 1, true)]));
        Assert.Throws<ArgumentException>(() => session.ForwardLogits([1, 2, 3], [new Segment(0, 2, true)]));
    }

    [Fact]
    public void Bad_batching_options_are_rejected_naming_the_field()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        int[][] prompts = [[1, 2]];
        Assert.Contains("Concurrency", Assert.Throws<ArgumentException>(() => Generator.Generate(model, prompts, new SamplingOptions { Concurrency = -1 })).Message);
        Assert.Contains("PrefillChunk", Assert.Throws<ArgumentException>(() => Generator.Generate(model, prompts, new SamplingOptions { PrefillChunk = 0 })).Message);
        Assert.Contains("Batching", Assert.Throws<ArgumentException>(() => Generator.Generate(model, prompts, new SamplingOptions { Batching = (BatchingMode)9 })).Message);
        Assert.Contains("Weights", Assert.Throws<ArgumentException>(() => Generator.Generate(model, prompts, new SamplingOptions { Weights = (WeightPrecision)9 })).Message);
    }
}
