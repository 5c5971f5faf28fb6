namespace PrunerPipeline.Model.Tests.Decoder;

public class When_saving_and_loading_checkpoints
{
    [Fact]
    public void Save_then_load_round_trips_every_weight_bit_identically()
    {
        using var folder = new TemporaryFolder("roundtrip");
        using var original = CausalLM.Load(Fixture.Folder);
        original.Save(folder.Path);
        using var reloaded = CausalLM.Load(folder.Path);

        AssertSameWeights(original, reloaded);
        Assert.True(File.Exists(Path.Combine(folder.Path, CheckpointFiles.GenerationConfig)));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(original.Config), System.Text.Json.JsonSerializer.Serialize(reloaded.Config));
    }

    [Fact]
    public void A_sharded_checkpoint_is_written_with_an_index_and_loads_with_parity()
    {
        using var folder = new TemporaryFolder("sharded");
        using (var original = CausalLM.Load(Fixture.Folder))
            original.Save(folder.Path, maxShardBytes: 200_000);

        var shards = Directory.GetFiles(folder.Path, "model-*-of-*.safetensors");
        Assert.True(shards.Length >= 3, $"expected several shards, got {shards.Length}");
        Assert.True(File.Exists(Path.Combine(folder.Path, CheckpointFiles.WeightsIndex)));
        Assert.False(File.Exists(Path.Combine(folder.Path, CheckpointFiles.SingleWeights)));
        using var sharded = CausalLM.Load(folder.Path);
        Fixture.AssertParity(sharded);
    }

    [Fact]
    public void A_bf16_checkpoint_loads_as_the_rounded_float32_weights()
    {
        using var folder = new TemporaryFolder("bf16");
        using var original = CausalLM.Load(Fixture.Folder);
        original.Save(folder.Path, dtype: "BF16");
        Assert.True(new FileInfo(Path.Combine(folder.Path, CheckpointFiles.SingleWeights)).Length < new FileInfo(Path.Combine(Fixture.Folder, CheckpointFiles.SingleWeights)).Length * 0.6);

        using var bf16 = CausalLM.Load(folder.Path);
        Assert.Equal("bfloat16", bf16.Config.TorchDtype);
        var originalWeights = original.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in bf16.Module.named_parameters())
        {
            using var rounded = originalWeights[name].to_type(ScalarType.BFloat16).to_type(ScalarType.Float32);
            Assert.True(parameter.equal(rounded).all().item<bool>(), $"{name} is not the bf16 rounding of the original");
        }
        // Same network up to bf16 weight precision: the logits stay close.
        using var input = tensor(new long[] { 5, 17, 300, 2, 99 }).unsqueeze(0);
        using var expected = original.Module.forward(input);
        using var actual = bf16.Module.forward(input);
        Assert.True((expected - actual).abs().max().item<float>() < 0.05f);
    }

    [Fact]
    public void Tied_embeddings_save_without_an_lm_head_and_load_back()
    {
        using var folder = new TemporaryFolder("tied");
        var config = ModelConfig.Load(Path.Combine(Fixture.Folder, "config.json")) with { TieWordEmbeddings = true };
        using var tied = CausalLM.Create(config, seed: 7);
        tied.Save(folder.Path);
        using (var reader = new SafetensorsReader(Path.Combine(folder.Path, CheckpointFiles.SingleWeights)))
        {
            Assert.DoesNotContain("lm_head.weight", reader.Entries.Keys);
            Assert.Contains("model.embed_tokens.weight", reader.Entries.Keys);
        }
        using var reloaded = CausalLM.Load(folder.Path);
        Assert.True(reloaded.Config.TieWordEmbeddings);
        AssertSameWeights(tied, reloaded);
        using var input = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        using (no_grad())
        {
            using var a = tied.Module.forward(input);
            using var b = reloaded.Module.forward(input);
            Assert.True(a.equal(b).all().item<bool>());
        }
    }

    [Fact]
    public void A_llama_config_builds_attention_without_biases_and_round_trips()
    {
        using var folder = new TemporaryFolder("llama");
        var config = ModelConfig.Load(Path.Combine(Fixture.Folder, "config.json")) with { ModelType = "llama", Architectures = ["LlamaForCausalLM"] };
        using var llama = CausalLM.Create(config, seed: 3);
        Assert.DoesNotContain(llama.Module.named_parameters(), p => p.name.EndsWith("q_proj.bias", StringComparison.Ordinal));
        llama.Save(folder.Path);
        using var reloaded = CausalLM.Load(folder.Path);
        AssertSameWeights(llama, reloaded);
    }

    [Fact]
    public void Create_is_deterministic_in_its_seed()
    {
        var config = ModelConfig.Load(Path.Combine(Fixture.Folder, "config.json"));
        using var a = CausalLM.Create(config, seed: 11);
        using var b = CausalLM.Create(config, seed: 11);
        using var c = CausalLM.Create(config, seed: 12);
        AssertSameWeights(a, b);
        Assert.False(a.Module.named_parameters().First(p => p.name == "model.embed_tokens.weight").parameter
            .equal(c.Module.named_parameters().First(p => p.name == "model.embed_tokens.weight").parameter).all().item<bool>());
    }

    private static void AssertSameWeights(CausalLM expected, CausalLM actual)
    {
        var actualWeights = actual.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expectedWeights = expected.Module.named_parameters().ToList();
        Assert.Equal(expectedWeights.Count, actualWeights.Count);
        foreach (var (name, parameter) in expectedWeights)
            Assert.True(parameter.equal(actualWeights[name]).all().item<bool>(), $"{name} differs after the round trip");
    }
}
