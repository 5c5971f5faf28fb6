using PrunerPipeline.Model.Modules;
using PrunerPipeline.Model.Shapes;

namespace PrunerPipeline.Model.Tests.RealSize;

public sealed class When_a_real_shape_is_written : IDisposable
{
    private readonly TemporaryFolder folder = new("shape");

    private static ModelConfig Small(bool tied) => ModelShapes.R1DistillQwen15B.Config with
    {
        VocabSize = 300, HiddenSize = 48, IntermediateSize = 96, NumHiddenLayers = 3, NumAttentionHeads = 6, NumKeyValueHeads = 2, TieWordEmbeddings = tied,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_layout_from_the_config_is_the_modules_state_dict(bool tied)
    {
        var config = Small(tied);
        using var module = new Qwen2ForCausalLM(config);

        var fromModule = module.named_parameters().Select(p => (p.name, string.Join(",", p.parameter.shape))).OrderBy(p => p.name, StringComparer.Ordinal);
        var fromConfig = CheckpointLayout.Tensors(config).Select(t => (t.Name, string.Join(",", t.Shape))).OrderBy(p => p.Name, StringComparer.Ordinal);
        Assert.Equal(fromModule, fromConfig);
        Assert.Equal(module.parameters().Sum(p => p.numel()), CheckpointLayout.ParameterCount(config));
    }

    [Fact]
    public void The_published_shapes_have_their_parameter_counts()
    {
        // Qwen2.5-0.5B: 494M (tied); R1-Distill-Qwen-1.5B: 1.78B (untied); Qwen2.5-7B: 7.62B.
        Assert.Equal(494_032_768, CheckpointLayout.ParameterCount(ModelShapes.Qwen25_05B.Config));
        Assert.Equal(1_777_088_000, CheckpointLayout.ParameterCount(ModelShapes.R1DistillQwen15B.Config));
        Assert.Equal(7_615_616_512, CheckpointLayout.ParameterCount(ModelShapes.Qwen25_7B.Config));
    }

    [Fact]
    public void A_sharded_bf16_checkpoint_loads_and_keeps_its_dtype()
    {
        var files = RandomCheckpointWriter.Write(Small(tied: false), folder.Path, "BF16", shards: 3);

        Assert.Equal(3, Directory.GetFiles(folder.Path, "model-0000?-of-00003.safetensors").Length);
        Assert.Contains(Path.Combine(folder.Path, CheckpointFiles.WeightsIndex), files);
        using var model = CausalLM.Load(folder.Path, dtype: WeightDtype.AsStored);
        Assert.Equal(ScalarType.BFloat16, model.ParameterDtype);
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        using var logits = model.Module.forward(ids);
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.Equal("bfloat16", ModelConfig.Load(Path.Combine(folder.Path, "config.json")).TorchDtype);
    }

    [Fact]
    public void A_hub_cache_layout_is_read_through_its_links()
    {
        var staging = Path.Combine(folder.Path, "staging");
        RandomCheckpointWriter.Write(Small(tied: true), staging, "BF16", shards: 1);

        var snapshot = HubCacheLayout.Publish(staging, Path.Combine(folder.Path, "hub"), "org/small");

        var weights = new FileInfo(Path.Combine(snapshot, CheckpointFiles.SingleWeights));
        Assert.NotNull(weights.LinkTarget);
        Assert.StartsWith(Path.Combine("..", "..", "blobs"), weights.LinkTarget);
        Assert.True(weights.Length < 200, "the link itself is tiny: the reader must measure its target");
        using var model = CausalLM.Load(snapshot);
        Assert.Equal(CheckpointLayout.ParameterCount(Small(tied: true)), model.ParameterCount);
        Assert.Equal(File.ReadAllText(Path.Combine(folder.Path, "hub", "models--org--small", "refs", "main")), Path.GetFileName(snapshot));
    }

    public void Dispose() => folder.Dispose();
}
