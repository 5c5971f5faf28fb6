using PrunerPipeline.Model.Inference;

namespace PrunerPipeline.Model.Tests.Decoder;

/// <summary>The managed decode engine against the TorchSharp model: logits, greedy ids, sampling, stops, threads.</summary>
[Collection(ManagedEngineCollection.Name)]
public class When_decoding_with_the_managed_engine
{
    private static readonly int[][] Prompts =
    [
        [121, 360, 272, 272, 50, 322, 463],
        [7],
        [300, 12, 45, 99, 500, 3, 3, 3, 3, 18, 200, 201, 202],
    ];

    private static readonly SamplingOptions Torch = new() { Engine = DecodeEngine.Torch };
    private static readonly SamplingOptions Managed = new() { Engine = DecodeEngine.Managed };

    /// <summary>Random shapes the fixture does not cover: tied/untied, with/without bias, GQA groups 1/2/4, Llama, odd sizes.</summary>
    public static TheoryData<string> Configs => new() { "qwen2-bias-tied-g2", "qwen2-nobias-untied-g1", "qwen2-bias-g4-odd", "llama-mlp-bias-g2-odd" };

    internal static ModelConfig ConfigNamed(string name) => name switch
    {
        "qwen2-bias-tied-g2" => new ModelConfig
        {
            VocabSize = 256, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
            TieWordEmbeddings = true, RopeTheta = 10000,
        },
        "qwen2-nobias-untied-g1" => new ModelConfig
        {
            VocabSize = 200, HiddenSize = 64, IntermediateSize = 96, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 4,
            AttentionBias = false, RopeTheta = 500_000, RmsNormEps = 1e-5,
        },
        "qwen2-bias-g4-odd" => new ModelConfig
        {
            VocabSize = 130, HiddenSize = 96, IntermediateSize = 100, NumHiddenLayers = 2, NumAttentionHeads = 8, NumKeyValueHeads = 2,
            TieWordEmbeddings = true,
        },
        "llama-mlp-bias-g2-odd" => new ModelConfig
        {
            ModelType = "llama", Architectures = ["LlamaForCausalLM"], VocabSize = 300, HiddenSize = 80, IntermediateSize = 72,
            NumHiddenLayers = 3, NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 24, MlpBias = true, RopeTheta = 10000,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A model whose every weight, bias and norm is random, so biases and norms matter to the logits.</summary>
    internal static CausalLM RandomModel(string name, int seed = 3)
    {
        var config = ConfigNamed(name);
        var model = CausalLM.Create(config, seed: seed);
        var generator = new TorchSharp.torch.Generator((ulong)seed + 100);
        using var noGrad = no_grad();
        foreach (var (parameterName, parameter) in model.Module.named_parameters())
        {
            if (parameterName.EndsWith("norm.weight", StringComparison.Ordinal))
                parameter.normal_(1.0, 0.2, generator);
            else
                parameter.normal_(0.0, 0.15, generator);
        }
        return model;
    }

    internal static int[][] PromptsFor(int vocab) =>
        Prompts.Select(p => p.Select(id => id % vocab).ToArray()).ToArray();

    /// <summary>Torch logits (T, V) of one unpadded sequence at every position.</summary>
    private static float[][] TorchLogits(CausalLM model, int[] ids)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(ids.Select(i => (long)i).ToArray()).view(1, ids.Length);
        var logits = model.Module.forward(input)[0];
        return Enumerable.Range(0, ids.Length).Select(t => logits[t].data<float>().ToArray()).ToArray();
    }

    /// <summary>Greedy-decodes with a session and checks prefill and every step's logits against torch on each sequence alone.</summary>
    private static void AssertStepLogitsMatchTorch(CausalLM model, int[][] prompts, int steps, int threads)
    {
        var vocab = model.Config.VocabSize;
        using var decoder = ManagedDecoder.From(model);
        using var session = new DecodeSession(decoder, prompts.Length, prompts.Max(p => p.Length), prompts.Max(p => p.Length) + steps, threads);
        var stepLogits = new List<float[][]>();
        var generated = prompts.Select(_ => new List<int>()).ToArray();
        var rows = session.PrefillLogits(prompts);
        for (var step = 0; step <= steps; step++)
        {
            Assert.All(rows, r => Assert.Equal(vocab, r.Length));
            stepLogits.Add(rows);
            if (step == steps)
                break;
            var next = rows.Select(r => Array.IndexOf(r, r.Max())).ToArray();
            for (var b = 0; b < prompts.Length; b++)
                generated[b].Add(next[b]);
            rows = session.StepLogits(next);
        }
        for (var b = 0; b < prompts.Length; b++)
        {
            var full = prompts[b].Concat(generated[b]).ToArray();
            var reference = TorchLogits(model, full);
            for (var step = 0; step <= steps; step++)
            {
                var expected = reference[prompts[b].Length - 1 + step].Select(v => (double)v).ToArray();
                Fixture.AssertClose(expected, stepLogits[step][b].Select(v => (double)v).ToArray(), 1e-4, $"row {b} step {step}");
            }
        }
    }

    [Fact]
    public void Prefill_and_every_decode_step_give_the_torch_logits_on_the_fixture()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        AssertStepLogitsMatchTorch(model, Prompts, steps: 20, threads: 2);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Prefill_and_every_decode_step_give_the_torch_logits_on_random_configs(string config)
    {
        using var model = RandomModel(config);
        AssertStepLogitsMatchTorch(model, PromptsFor(model.Config.VocabSize), steps: 12, threads: 2);
    }

    [Fact]
    public void The_scalar_and_vector256_fallbacks_give_the_torch_logits_too()
    {
        using var model = RandomModel("llama-mlp-bias-g2-odd");
        var prompts = PromptsFor(model.Config.VocabSize);
        var original = Kernels.Level;
        try
        {
            foreach (var level in new[] { KernelLevel.Scalar, KernelLevel.Vector256 })
            {
                Kernels.Level = level;
                AssertStepLogitsMatchTorch(model, prompts, steps: 6, threads: 1);
            }
        }
        finally
        {
            Kernels.Level = original;
        }
    }

    [Theory]
    [InlineData("fixture")]
    [InlineData("qwen2-bias-g4-odd")]
    [InlineData("llama-mlp-bias-g2-odd")]
    public void Greedy_ids_of_a_left_padded_batch_equal_the_torch_engine(string config)
    {
        using var model = config == "fixture" ? CausalLM.Load(Fixture.Folder) : RandomModel(config);
        var prompts = PromptsFor(model.Config.VocabSize);
        var options = new SamplingOptions { MaxNewTokens = 30, Temperature = 0 };
        var torch = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Torch });
        var managed = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Managed });
        for (var b = 0; b < prompts.Length; b++)
        {
            Assert.Equal(torch[b].TokenIds, managed[b].TokenIds);
            Assert.Equal(torch[b].FinishReason, managed[b].FinishReason);
            Fixture.AssertClose(torch[b].LogProbs.Select(v => (double)v).ToArray(), managed[b].LogProbs.Select(v => (double)v).ToArray(), 1e-4, $"sequence {b}");
        }
    }

    [Theory]
    [InlineData(1.0, 1.0, 0)]
    [InlineData(1.0, 0.9, 0)]
    [InlineData(0.8, 1.0, 20)]
    [InlineData(1.3, 0.95, 50)]
    public void Seeded_sampling_picks_the_torch_engine_tokens_with_per_sequence_seeds(double temperature, double topP, int topK)
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var options = new SamplingOptions { MaxNewTokens = 24, Temperature = temperature, TopP = topP, TopK = topK, SequenceSeeds = [11, 2_000_000_000_123, -5] };
        var torch = Generator.Generate(model, Prompts, options with { Engine = DecodeEngine.Torch });
        var managed = Generator.Generate(model, Prompts, options with { Engine = DecodeEngine.Managed });
        for (var b = 0; b < Prompts.Length; b++)
        {
            Assert.Equal(torch[b].TokenIds, managed[b].TokenIds);
            Fixture.AssertClose(torch[b].LogProbs.Select(v => (double)v).ToArray(), managed[b].LogProbs.Select(v => (double)v).ToArray(), 1e-4, $"sequence {b}");
        }
        // A sequence's draws depend on its own seed only.
        var alone = Generator.Generate(model, [Prompts[2]], options with { Engine = DecodeEngine.Managed, SequenceSeeds = [-5] })[0];
        Assert.Equal(managed[2].TokenIds, alone.TokenIds);
    }

    [Fact]
    public void Batch_seeded_sampling_on_a_random_config_picks_the_torch_engine_tokens()
    {
        using var model = RandomModel("qwen2-bias-tied-g2");
        var prompts = PromptsFor(model.Config.VocabSize);
        var options = new SamplingOptions { MaxNewTokens = 16, Temperature = 1.0, TopP = 0.9, Seed = 77 };
        var torch = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Torch });
        var managed = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Managed });
        Assert.Equal(torch.Select(g => g.TokenIds), managed.Select(g => g.TokenIds));
    }

    [Fact]
    public void One_and_two_threads_give_identical_results()
    {
        using var model = RandomModel("qwen2-bias-g4-odd");
        var prompts = PromptsFor(model.Config.VocabSize);
        foreach (var options in new[] { new SamplingOptions { MaxNewTokens = 20, Temperature = 0 }, new SamplingOptions { MaxNewTokens = 20, Temperature = 1, TopP = 0.9, Seed = 4 } })
        {
            var one = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Managed, EngineThreads = 1 });
            var two = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Managed, EngineThreads = 2 });
            for (var b = 0; b < prompts.Length; b++)
            {
                Assert.Equal(one[b].TokenIds, two[b].TokenIds);
                Assert.Equal(one[b].LogProbs, two[b].LogProbs);
            }
        }
    }

    [Fact]
    public void Auto_uses_the_managed_engine_for_a_cached_cpu_float32_model_and_torch_otherwise()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        Assert.True(ManagedDecoder.Supports(model, out _));
        var options = new SamplingOptions { MaxNewTokens = 8, Temperature = 0 };
        var auto = Generator.Generate(model, Prompts, options);
        var managed = Generator.Generate(model, Prompts, options with { Engine = DecodeEngine.Managed });
        // Bit-identical log-probs: Auto took the managed engine (torch's differ in the last bits).
        Assert.Equal(managed.Select(g => g.LogProbs), auto.Select(g => g.LogProbs));
        var recomputed = Generator.Generate(model, Prompts, options with { UseKvCache = false });
        Assert.Equal(managed.Select(g => g.TokenIds), recomputed.Select(g => g.TokenIds));
    }

    [Fact]
    public void Bad_engine_options_are_rejected_naming_the_field()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var recompute = Assert.Throws<ArgumentException>(() => Generator.Generate(model, Prompts, Managed with { UseKvCache = false }));
        Assert.Contains("Engine", recompute.Message);
        Assert.Contains("UseKvCache", recompute.Message);
        var unknown = Assert.Throws<ArgumentException>(() => Generator.Generate(model, Prompts, new SamplingOptions { Engine = (DecodeEngine)7 }));
        Assert.Contains("Engine", unknown.Message);
        var threads = Assert.Throws<ArgumentException>(() => Generator.Generate(model, Prompts, new SamplingOptions { EngineThreads = -1 }));
        Assert.Contains("EngineThreads", threads.Message);
        var topP = Assert.Throws<ArgumentException>(() => Generator.Generate(model, Prompts, Managed with { TopP = 0 }));
        Assert.Contains("TopP", topP.Message);
    }

    [Fact]
    public void A_snapshot_does_not_see_later_weight_changes_and_a_new_one_does()
    {
        using var model = RandomModel("qwen2-bias-tied-g2");
        var prompts = PromptsFor(model.Config.VocabSize);
        var options = Managed with { MaxNewTokens = 10, Temperature = 0 };
        using var before = ManagedDecoder.From(model);
        var first = ManagedGeneration.Generate(before, prompts, options, null, default);
        // Generator.Generate keeps a snapshot per model and re-reads the weights into it on every call.
        Assert.Equal(first.Select(g => g.LogProbs), Generator.Generate(model, prompts, options).Select(g => g.LogProbs));
        using (no_grad())
        {
            foreach (var parameter in model.Module.parameters())
                parameter.mul_(-1.5);
        }
        var stale = ManagedGeneration.Generate(before, prompts, options, null, default);
        Assert.Equal(first.Select(g => g.LogProbs), stale.Select(g => g.LogProbs));
        var fresh = Generator.Generate(model, prompts, options);
        var torch = Generator.Generate(model, prompts, options with { Engine = DecodeEngine.Torch });
        Assert.Equal(torch.Select(g => g.TokenIds), fresh.Select(g => g.TokenIds));
        Assert.NotEqual(first.Select(g => string.Join(",", g.TokenIds)), fresh.Select(g => string.Join(",", g.TokenIds)));
    }

    [Fact]
    public void Memory_stays_flat_over_many_generate_calls()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var options = Managed with { MaxNewTokens = 8, Temperature = 1.0 };
        for (var i = 0; i < 20; i++)
            Generator.Generate(model, Prompts, options with { Seed = i });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Environment.WorkingSet;
        for (var i = 0; i < 200; i++)
            Generator.Generate(model, Prompts, options with { Seed = i });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growth = (Environment.WorkingSet - before) / (1024.0 * 1024.0);
        Assert.True(growth < 20, $"working set grew {growth:F1} MiB over 200 calls");
    }
}

/// <summary>Tests that switch <see cref="Kernels.Level"/> (process-wide) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedEngineCollection
{
    public const string Name = "managed engine";
}
