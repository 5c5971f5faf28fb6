namespace PrunerPipeline.Model.Tests.Decoder;

/// <summary>
/// A hostile or mistyped config.json is refused from the safetensors headers before the module allocates anything: a
/// 3 MB fixture whose config claims hidden_size 60 000 must not make the process allocate gigabytes first.
/// </summary>
public class When_a_config_does_not_describe_its_weights : IDisposable
{
    private readonly TemporaryFolder folder = new("hostile-config");

    public When_a_config_does_not_describe_its_weights() => Fixture.CopyTo(folder.Path);

    private string Config => Path.Combine(folder.Path, CheckpointFiles.Config);

    public void Dispose() => folder.Dispose();

    private void Replace(string from, string to)
    {
        var text = File.ReadAllText(Config);
        Assert.Contains(from, text);
        File.WriteAllText(Config, text.Replace(from, to));
    }

    [Theory]
    [InlineData("\"vocab_size\": 512", "\"vocab_size\": 2000000000", "vocab_size is 2000000000; allowed: at most")]
    [InlineData("\"hidden_size\": 64", "\"hidden_size\": 1048576", "hidden_size is 1048576; allowed: at most")]
    [InlineData("\"num_hidden_layers\": 3", "\"num_hidden_layers\": 100000", "num_hidden_layers is 100000; allowed: at most")]
    [InlineData("\"max_position_embeddings\": 256", "\"max_position_embeddings\": 2000000000", "max_position_embeddings is 2000000000; allowed: at most")]
    public void Absurd_dimensions_are_refused_by_name(string from, string to, string expected)
    {
        Replace(from, to);
        var before = GC.GetTotalAllocatedBytes();
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(Config, error.Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 64L * 1024 * 1024, "refused before allocating the model");
    }

    [Fact]
    public void A_plausible_hidden_size_that_the_weights_do_not_have_is_refused_before_allocation()
    {
        // 60 000 × 512 float32 embeddings alone would be 123 MB; with 3 layers of 60 000² projections, ~130 GB.
        Replace("\"hidden_size\": 64", "\"hidden_size\": 60000");
        Replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 4, \"head_dim\": 16");
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains("tensor 'model.embed_tokens.weight' has shape [512, 64] but config.json's vocab_size, hidden_size need [512, 60000]", error.Message);
    }

    [Fact]
    public void A_layer_count_the_weights_do_not_have_is_named()
    {
        Replace("\"num_hidden_layers\": 3", "\"num_hidden_layers\": 40");
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains("num_hidden_layers is 40 but the weights hold 3 layers", error.Message);
    }

    [Fact]
    public void The_fixture_itself_still_loads()
    {
        using var model = CausalLM.Load(folder.Path);
        Assert.Equal(3, model.Config.NumHiddenLayers);
    }
}
