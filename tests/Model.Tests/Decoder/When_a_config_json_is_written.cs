using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PrunerPipeline.Model.Adapters;
using PrunerPipeline.Model.Shapes;

namespace PrunerPipeline.Model.Tests.Decoder;

/// <summary>
/// config.json holds only Hugging Face keys, whoever writes it: a checkpoint (the trainer's, <c>CausalLM.Save</c>),
/// <c>pruner bench make-model</c> (<see cref="RandomCheckpointWriter"/>) and <c>pruner model merge</c>
/// (<see cref="PeftAdapter.Merge"/>). Derived values such as KeyValueHeads are not config fields.
/// </summary>
public sealed class When_a_config_json_is_written : IDisposable
{
    private static readonly ModelConfig Small = new()
    {
        VocabSize = 64, HiddenSize = 32, IntermediateSize = 48, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 128, EosTokenId = 1,
    };

    private readonly TemporaryFolder folder = new("config-json");

    /// <summary>The keys ModelConfig maps (its JsonPropertyName attributes).</summary>
    private static readonly HashSet<string> HuggingFaceKeys = typeof(ModelConfig).GetProperties()
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).OfType<string>().ToHashSet();

    [Fact]
    public void A_saved_checkpoint_holds_only_hugging_face_keys()
    {
        using var model = CausalLM.Create(Small, "cpu", seed: 3);
        model.Save(folder.Path);
        AssertOnlyHuggingFaceKeys(folder.Path);
    }

    [Fact]
    public void A_random_benchmark_checkpoint_holds_only_hugging_face_keys()
    {
        RandomCheckpointWriter.Write(Small, folder.Path, "F32", shards: 1);
        AssertOnlyHuggingFaceKeys(folder.Path);
    }

    [Fact]
    public void A_merged_adapter_holds_only_hugging_face_keys()
    {
        var baseFolder = Path.Combine(folder.Path, "base");
        var adapterFolder = Path.Combine(folder.Path, "adapter");
        var merged = Path.Combine(folder.Path, "merged");
        using (var model = CausalLM.Create(Small, "cpu", seed: 3))
        {
            model.Save(baseFolder);
            var options = new LoraOptions { Rank = 2, Alpha = 4 };
            LoraInjection.Apply(model.Module, options, seed: 5);
            PeftAdapter.Save(adapterFolder, model.Module, options, baseFolder);
        }
        PeftAdapter.Merge(baseFolder, adapterFolder, merged);
        AssertOnlyHuggingFaceKeys(merged);
    }

    [Fact]
    public void A_config_written_with_the_derived_names_drops_them_when_read_back()
    {
        var path = Path.Combine(folder.Path, CheckpointFiles.Config);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixture.Folder, CheckpointFiles.Config)))!.AsObject();
        json["KeyValueHeads"] = 2;
        json["HeadDimension"] = 16;
        json["HasAttentionBias"] = true;
        json["EosTokenIds"] = new JsonArray(1);
        File.WriteAllText(path, json.ToJsonString());

        var config = ModelConfig.Load(path);
        Assert.Equal(2, config.KeyValueHeads);
        Assert.Equal(16, config.HeadDimension);
        Assert.Equal("attention_dropout", Assert.Single(config.Extra!).Key);   // the fixture's one field ModelConfig does not map
        config.Save(path);
        var written = JsonNode.Parse(File.ReadAllText(path))!.AsObject().Select(p => p.Key).ToList();
        Assert.DoesNotContain("KeyValueHeads", written);
        Assert.DoesNotContain("EosTokenIds", written);
        Assert.Contains("num_key_value_heads", written);
    }

    private static void AssertOnlyHuggingFaceKeys(string modelFolder)
    {
        var keys = JsonNode.Parse(File.ReadAllText(Path.Combine(modelFolder, CheckpointFiles.Config)))!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("num_key_value_heads", keys);
        Assert.All(keys, key => Assert.True(HuggingFaceKeys.Contains(key), $"config.json key '{key}' is not a Hugging Face config field"));
    }

    public void Dispose() => folder.Dispose();
}
