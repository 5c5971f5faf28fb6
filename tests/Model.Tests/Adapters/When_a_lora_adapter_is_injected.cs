using PrunerPipeline.Model.Adapters;
using PrunerPipeline.Model.Tests.Decoder;

namespace PrunerPipeline.Model.Tests.Adapters;

public class When_a_lora_adapter_is_injected
{
    [Fact]
    public void A_fresh_adapter_leaves_the_logits_exactly_as_the_base_model()
    {
        using var baseModel = CausalLM.Load(Fixture.Folder);
        using var adapted = CausalLM.Load(Fixture.Folder);
        LoraInjection.Apply(adapted.Module, LoraTestModels.AllTargets, seed: 3);

        using var expected = LoraTestModels.Logits(baseModel, LoraTestModels.Ids);
        using var actual = LoraTestModels.Logits(adapted, LoraTestModels.Ids);
        Assert.True(expected.equal(actual).all().item<bool>(), "B = 0 must give bit-identical logits");
        Fixture.AssertParity(adapted);
    }

    [Fact]
    public void Only_the_adapter_requires_gradients_and_names_follow_peft()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var adapter = LoraInjection.Apply(model.Module, LoraTestModels.AllTargets with { Targets = ["q_proj", "down_proj"] }, seed: 3);

        Assert.Equal(3 * 2 * 2, adapter.Count);
        Assert.Contains(adapter, p => p.Name == "model.layers.0.self_attn.q_proj.lora_A.weight");
        Assert.Contains(adapter, p => p.Name == "model.layers.2.mlp.down_proj.lora_B.weight");
        var a = adapter.Single(p => p.Name == "model.layers.0.self_attn.q_proj.lora_A.weight").Parameter;
        Assert.Equal([4L, 64L], a.shape);
        var bound = 1 / Math.Sqrt(64);
        Assert.True(a.abs().max().item<float>() <= bound && a.abs().max().item<float>() > bound / 2, "A is kaiming-uniform U(-1/sqrt(in), 1/sqrt(in))");
        var b = adapter.Single(p => p.Name == "model.layers.2.mlp.down_proj.lora_B.weight").Parameter;
        Assert.Equal([64L, 4L], b.shape);
        Assert.Equal(0f, b.abs().sum().item<float>());

        var trainable = model.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Order().ToArray();
        Assert.Equal(adapter.Select(p => p.Name).Order().ToArray(), trainable);
        // The base keeps its Hugging Face names.
        Assert.Contains(model.Module.named_parameters(), p => p.name == "model.layers.0.self_attn.q_proj.weight");
        Assert.Contains(model.Module.named_parameters(), p => p.name == "model.layers.0.self_attn.q_proj.bias");
    }

    [Fact]
    public void A_bad_adapter_is_refused_by_field()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var e = Assert.Throws<ArgumentException>(() => LoraInjection.Apply(model.Module, new LoraOptions { Rank = 0, Targets = ["qkv"] }, 1));
        Assert.Contains("rank: 0", e.Message);
        Assert.Contains("'qkv'", e.Message);
    }

    [Fact]
    public void The_merged_model_gives_the_adapted_logits_within_1e_5()
    {
        using var folder = new TemporaryFolder("lora-merge");
        using var adapted = CausalLM.Load(Fixture.Folder);
        LoraInjection.Apply(adapted.Module, LoraTestModels.AllTargets, seed: 5);
        LoraTestModels.Perturb(adapted.Module, 11);
        PeftAdapter.Save(folder.Path, adapted.Module, LoraTestModels.AllTargets, Fixture.Folder);

        using var merged = CausalLM.Load(folder.Path);
        Assert.False(LoraInjection.HasAdapters(merged.Module));
        using var expected = LoraTestModels.Logits(adapted, LoraTestModels.Ids);
        using var actual = LoraTestModels.Logits(merged, LoraTestModels.Ids);
        using var baseModel = CausalLM.Load(Fixture.Folder);
        using var baseLogits = LoraTestModels.Logits(baseModel, LoraTestModels.Ids);
        Assert.True((expected - baseLogits).abs().max().item<float>() > 1e-3, "the perturbed adapter must change the logits");
        var worst = (expected - actual).abs().max().item<float>();
        Assert.True(worst <= 1e-5, $"merged vs unmerged logits differ by {worst:G3}");

        // pruner model merge: the same weights on disk, in the base's dtype.
        using var output = new TemporaryFolder("lora-merged");
        Assert.Equal("F32", PeftAdapter.Merge(null, folder.Path, output.Path));
        using var reloaded = CausalLM.Load(output.Path);
        using var fromDisk = LoraTestModels.Logits(reloaded, LoraTestModels.Ids);
        Assert.True(fromDisk.equal(actual).all().item<bool>());
    }

    [Fact]
    public void The_peft_folder_round_trips_tensors_names_and_config()
    {
        using var folder = new TemporaryFolder("lora-peft");
        var options = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0.05, Targets = ["v_proj", "q_proj", "up_proj"] };
        using var saved = CausalLM.Load(Fixture.Folder);
        LoraInjection.Apply(saved.Module, options, seed: 5);
        LoraTestModels.Perturb(saved.Module, 12);
        PeftAdapter.Save(folder.Path, saved.Module, options, "org/base-model");

        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json")))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", config["task_type"]!.GetValue<string>());
        Assert.Equal("none", config["bias"]!.GetValue<string>());
        Assert.Equal(8, config["r"]!.GetValue<int>());
        Assert.Equal(16, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(0.05, config["lora_dropout"]!.GetValue<double>());
        Assert.Equal("org/base-model", config["base_model_name_or_path"]!.GetValue<string>());
        Assert.Equal(["q_proj", "v_proj", "up_proj"], config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()));

        using (var reader = new Checkpoints.SafetensorsReader(Path.Combine(folder.Path, "adapter_model.safetensors")))
        {
            Assert.Equal(3 * 3 * 2, reader.Entries.Count);
            Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", reader.Entries.Keys);
            Assert.Contains("base_model.model.model.layers.2.mlp.up_proj.lora_B.weight", reader.Entries.Keys);
            Assert.All(reader.Entries.Keys, k => Assert.StartsWith("base_model.model.model.layers.", k));
        }

        var readBack = PeftAdapter.ReadConfig(folder.Path).ToOptions("adapter_config.json");
        Assert.Equal(options.Rank, readBack.Rank);
        Assert.Equal(options.Alpha, readBack.Alpha);
        Assert.Equal(options.Dropout, readBack.Dropout);
        using var loaded = CausalLM.Load(Fixture.Folder);
        LoraInjection.Apply(loaded.Module, readBack, seed: 99);
        PeftAdapter.LoadWeights(folder.Path, loaded.Module);
        var expected = LoraInjection.AdapterParameters(saved.Module);
        var actual = LoraInjection.AdapterParameters(loaded.Module);
        Assert.Equal(expected.Select(p => p.Name), actual.Select(p => p.Name));
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.True(e.Parameter.equal(a.Parameter).all().item<bool>(), $"{e.Name} differs after the round trip");
        }
    }

    [Fact]
    public void An_adapter_whose_base_is_not_here_fails_with_a_clear_message()
    {
        using var folder = new TemporaryFolder("lora-nobase");
        using var model = CausalLM.Load(Fixture.Folder);
        LoraInjection.Apply(model.Module, LoraTestModels.AllTargets, seed: 5);
        PeftAdapter.Save(folder.Path, model.Module, LoraTestModels.AllTargets, "hf:org/absent");

        var e = Assert.Throws<DirectoryNotFoundException>(() => CausalLM.Load(folder.Path));
        Assert.Contains("'hf:org/absent'", e.Message);
        Assert.Contains("--base", e.Message);
        using var explicitBase = CausalLM.LoadAdapter(folder.Path, Fixture.Folder);
        Fixture.AssertParity(explicitBase);
    }
}
