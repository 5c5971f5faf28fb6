namespace PrunerPipeline.Model.Tests.Decoder;

public class When_generating
{
    private static readonly int[][] Prompts =
    [
        [121, 360, 272, 272, 50, 322, 463],
        [7],
        [300, 12, 45, 99, 500, 3, 3, 3, 3, 18, 200, 201, 202],
    ];

    [Fact]
    public void The_kv_cache_gives_the_same_greedy_tokens_and_log_probs_as_recomputing_every_step()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var options = new SamplingOptions { MaxNewTokens = 40, Temperature = 0 };
        var cached = Generator.Generate(model, Prompts, options);
        var recomputed = Generator.Generate(model, Prompts, options with { UseKvCache = false });
        for (var b = 0; b < Prompts.Length; b++)
        {
            Assert.Equal(recomputed[b].TokenIds, cached[b].TokenIds);
            Fixture.AssertClose(recomputed[b].LogProbs.Select(v => (double)v).ToArray(), cached[b].LogProbs.Select(v => (double)v).ToArray(), 1e-5, $"sequence {b}");
        }
    }

    [Fact]
    public void A_left_padded_batch_generates_what_each_prompt_generates_alone()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var options = new SamplingOptions { MaxNewTokens = 24, Temperature = 0 };
        var batched = Generator.Generate(model, Prompts, options);
        for (var b = 0; b < Prompts.Length; b++)
        {
            var alone = Generator.Generate(model, [Prompts[b]], options)[0];
            Assert.Equal(alone.TokenIds, batched[b].TokenIds);
            Fixture.AssertClose(alone.LogProbs.Select(v => (double)v).ToArray(), batched[b].LogProbs.Select(v => (double)v).ToArray(), 1e-4, $"sequence {b}");
        }
    }

    [Fact]
    public void Returned_log_probs_are_the_temperature_one_log_probs_of_the_sampled_tokens()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var generated = Generator.Generate(model, Prompts, new SamplingOptions { MaxNewTokens = 16, Temperature = 0.7, Seed = 5 });
        using var noGrad = no_grad();
        var (logProbs, _) = TeacherForcing.CompletionLogProbs(model.Module, Prompts, generated.Select(g => g.TokenIds).ToArray());
        for (var b = 0; b < Prompts.Length; b++)
        {
            var teacher = logProbs[b].data<float>().ToArray().Take(generated[b].TokenIds.Length).Select(v => (double)v).ToArray();
            Fixture.AssertClose(teacher, generated[b].LogProbs.Select(v => (double)v).ToArray(), 1e-4, $"sequence {b}");
        }
    }

    [Fact]
    public void Sampling_is_reproducible_per_seed_and_per_sequence_seed_independent_of_the_batch()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var options = new SamplingOptions { MaxNewTokens = 20, Temperature = 1.0, Seed = 42 };
        var first = Generator.Generate(model, Prompts, options);
        var again = Generator.Generate(model, Prompts, options);
        var other = Generator.Generate(model, Prompts, options with { Seed = 43 });
        Assert.Equal(first.Select(g => g.TokenIds), again.Select(g => g.TokenIds));
        Assert.NotEqual(first.Select(g => string.Join(",", g.TokenIds)), other.Select(g => string.Join(",", g.TokenIds)));

        long[] seeds = [101, 202, 303];
        var batched = Generator.Generate(model, Prompts, options with { SequenceSeeds = seeds });
        var alone = Generator.Generate(model, [Prompts[2]], options with { SequenceSeeds = [seeds[2]] })[0];
        Assert.Equal(alone.TokenIds, batched[2].TokenIds);
    }

    [Fact]
    public void Top_k_one_is_greedy_and_top_p_keeps_only_the_nucleus()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var greedy = Generator.Generate(model, Prompts, new SamplingOptions { MaxNewTokens = 12, Temperature = 0 });
        var topK = Generator.Generate(model, Prompts, new SamplingOptions { MaxNewTokens = 12, Temperature = 1.5, TopK = 1, Seed = 9 });
        Assert.Equal(greedy.Select(g => g.TokenIds), topK.Select(g => g.TokenIds));

        // With a tiny nucleus only the most likely token survives, so top-p also degenerates to greedy.
        var topP = Generator.Generate(model, Prompts, new SamplingOptions { MaxNewTokens = 12, Temperature = 1.0, TopP = 1e-6, Seed = 9 });
        Assert.Equal(greedy.Select(g => g.TokenIds), topP.Select(g => g.TokenIds));
    }

    [Theory]
    [InlineData(DecodeEngine.Torch)]
    [InlineData(DecodeEngine.Managed)]
    public void Each_sequence_stops_at_its_own_stop_token_and_keeps_it(DecodeEngine engine)
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var free = Generator.Generate(model, Prompts, new SamplingOptions { MaxNewTokens = 20, Temperature = 0, Engine = engine });
        // Stop on the 5th token the first sequence would produce; the others run to the length limit unless they hit it
        // too. The second stop id is never produced: a sequence stops on any of them.
        var stop = free[0].TokenIds[4];
        var stopped = Generator.Generate(model, Prompts, new SamplingOptions { MaxNewTokens = 20, Temperature = 0, StopTokenIds = [stop, 9999], Engine = engine });
        var firstStop = Array.IndexOf(free[0].TokenIds, stop);
        Assert.Equal(free[0].TokenIds[..(firstStop + 1)], stopped[0].TokenIds);
        Assert.Equal(GeneratedSequence.Stop, stopped[0].FinishReason);
        for (var b = 1; b < Prompts.Length; b++)
        {
            var index = Array.IndexOf(free[b].TokenIds, stop);
            Assert.Equal(index < 0 ? free[b].TokenIds : free[b].TokenIds[..(index + 1)], stopped[b].TokenIds);
            Assert.Equal(index < 0 ? GeneratedSequence.Length : GeneratedSequence.Stop, stopped[b].FinishReason);
        }
    }

    [Fact]
    public void Bad_requests_name_what_is_wrong()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var error = Assert.Throws<ArgumentException>(() => Generator.Generate(model, [[1, 2], []], new SamplingOptions { MaxNewTokens = 0, TopP = 2 }));
        Assert.Contains("MaxNewTokens", error.Message);
        Assert.Contains("TopP", error.Message);
        Assert.Contains("prompts[1] is empty", error.Message);
        var outside = Assert.Throws<ArgumentException>(() => Generator.Generate(model, [[1, 9999]], new SamplingOptions()));
        Assert.Contains("prompts[0]", outside.Message);
    }
}
