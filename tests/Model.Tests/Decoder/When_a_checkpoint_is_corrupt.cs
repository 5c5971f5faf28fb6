using System.Text;

namespace PrunerPipeline.Model.Tests.Decoder;

/// <summary>Every way a checkpoint can be broken gets an error that names the file and, where there is one, the tensor.</summary>
public class When_a_checkpoint_is_corrupt : IDisposable
{
    private readonly TemporaryFolder folder = new("corrupt");

    public When_a_checkpoint_is_corrupt() => Fixture.CopyTo(folder.Path);

    private string Weights => Path.Combine(folder.Path, CheckpointFiles.SingleWeights);

    private string Config => Path.Combine(folder.Path, CheckpointFiles.Config);

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_truncated_file_names_the_file_and_the_tensor_that_runs_past_the_end()
    {
        var bytes = File.ReadAllBytes(Weights);
        File.WriteAllBytes(Weights, bytes[..(bytes.Length - 1000)]);
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains(Weights, error.Message);
        Assert.Contains("tensor '", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_header_length_past_the_end_is_rejected()
    {
        var bytes = File.ReadAllBytes(Weights);
        BitConverter.GetBytes((long)bytes.Length).CopyTo(bytes, 0);
        File.WriteAllBytes(Weights, bytes);
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains(Weights, error.Message);
        Assert.Contains("header length", error.Message);
    }

    [Fact]
    public void A_header_that_is_not_json_is_rejected()
    {
        var bytes = File.ReadAllBytes(Weights);
        Encoding.ASCII.GetBytes("{not json").CopyTo(bytes, 8);
        File.WriteAllBytes(Weights, bytes);
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains(Weights, error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void A_shape_that_does_not_match_the_config_names_the_tensor()
    {
        File.WriteAllText(Config, File.ReadAllText(Config).Replace("\"intermediate_size\": 176", "\"intermediate_size\": 128"));
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains(Weights, error.Message);
        Assert.Contains("mlp.", error.Message);
        Assert.Contains("shape [176, 64]", error.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        using (var model = CausalLM.Load(folder.Path))
        {
            var kept = model.Module.named_parameters().Where(p => p.name != "model.layers.1.mlp.up_proj.weight").Select(p => (p.name, (TorchSharp.torch.Tensor)p.parameter)).ToList();
            SafetensorsWriter.Write(Weights + ".tmp", kept);
        }
        File.Move(Weights + ".tmp", Weights, overwrite: true);
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void An_unknown_model_type_is_named()
    {
        File.WriteAllText(Config, File.ReadAllText(Config).Replace("\"model_type\": \"qwen2\"", "\"model_type\": \"mamba\""));
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains(Config, error.Message);
        Assert.Contains("model_type 'mamba'", error.Message);
    }

    [Fact]
    public void A_dtype_that_is_not_a_float_is_named()
    {
        var bytes = File.ReadAllBytes(Weights);
        var headerLength = (int)BitConverter.ToInt64(bytes, 0);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var index = header.IndexOf("\"F32\"", StringComparison.Ordinal);
        Encoding.UTF8.GetBytes("\"I32\"").CopyTo(bytes, 8 + index);
        File.WriteAllBytes(Weights, bytes);
        var error = Assert.Throws<InvalidDataException>(() => CausalLM.Load(folder.Path));
        Assert.Contains(Weights, error.Message);
        Assert.Contains("dtype I32", error.Message);
    }

    [Fact]
    public void A_missing_config_is_named()
    {
        File.Delete(Config);
        var error = Assert.Throws<FileNotFoundException>(() => CausalLM.Load(folder.Path));
        Assert.Contains("config.json", error.Message);
    }
}
