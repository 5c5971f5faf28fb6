using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.Model;
using PrunerPipeline.LongThought.Builtin;
using TorchSharp;

namespace PrunerPipeline.Datasets.Tests;

public sealed class When_training_the_builtin_model : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "builtin-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_saved_checkpoint_reloads_to_identical_logits()
    {
        var folder = await BuiltinModel.EnsureAsync(Path.Combine(_root, "builtin"), BuiltinModelOptions.Tiny);

        var tokenizer = TextTokenizer.Load(folder);
        var prompt = tokenizer.Encode(ChatTemplate.Render(null, SyntheticTask.Default.Load("test", 1)[0].Question)).Select(i => (long)i).ToArray();
        using var first = CausalLM.Load(folder, device: "cpu");
        using var second = CausalLM.Load(folder, device: "cpu");
        using var noGrad = torch.no_grad();
        using var input = torch.tensor(prompt, [1, prompt.Length]);
        using var a = first.Module.forward(input);
        using var b = second.Module.forward(input);

        Assert.Equal(new long[] { 1, prompt.Length, tokenizer.VocabularySize }, a.shape);
        Assert.True(a.abs().sum().item<float>() > 0);
        Assert.True(a.equal(b).all().item<bool>());
    }

    [Fact]
    public async Task The_folder_holds_a_hugging_face_checkpoint_with_its_tokenizer_and_summary()
    {
        var folder = await BuiltinModel.EnsureAsync(Path.Combine(_root, "builtin"), BuiltinModelOptions.Tiny);

        foreach (var file in new[] { "config.json", "model.safetensors", "generation_config.json", "tokenizer.json", BuiltinModel.TrainingSummaryFile })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        var summary = BuiltinModel.ReadSummary(folder)!;
        Assert.Equal(BuiltinModelOptions.Tiny.Steps, summary.Steps);
        Assert.True(double.IsFinite(summary.ValidationLoss));
        Assert.DoesNotContain(Directory.GetDirectories(_root), d => d != folder);
    }

    [Fact]
    public async Task The_folder_records_the_task_version_it_learned()
    {
        var v1 = await BuiltinModel.EnsureAsync(Path.Combine(_root, "v1"), BuiltinModelOptions.Tiny);
        var v2 = await BuiltinModel.EnsureAsync(Path.Combine(_root, "v2"),
            BuiltinModelOptions.Tiny with { Task = BuiltinModelOptions.Tiny.Task with { Version = 2 } });

        Assert.Equal(1, BuiltinModel.TaskVersionOf(v1));
        Assert.Equal(2, BuiltinModel.TaskVersionOf(v2));
        Assert.Equal(2, BuiltinModel.ReadSummary(v2)!.TaskVersion);
        // The v2 tokenizer is built from v2's traces, which carry "fixed: N" lines; it round-trips them.
        var fix = TeacherTrace.FixPrefix + "26\n";
        var tokenizer = TextTokenizer.Load(v2);
        Assert.Equal(fix, tokenizer.Decode(tokenizer.Encode(fix).ToArray()));
    }

    [Fact]
    public async Task Ensure_reuses_an_existing_checkpoint_without_retraining()
    {
        var folder = await BuiltinModel.EnsureAsync(Path.Combine(_root, "builtin"), BuiltinModelOptions.Tiny);
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "model.safetensors"));

        var again = await BuiltinModel.EnsureAsync(Path.Combine(_root, "builtin"), BuiltinModelOptions.Tiny with { Steps = 1_000_000 });

        Assert.Equal(folder, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "model.safetensors")));
    }

    [Fact]
    public async Task Training_is_deterministic_for_a_seed()
    {
        var a = await BuiltinModel.TrainAsync(Path.Combine(_root, "a"), BuiltinModelOptions.Tiny);
        var b = await BuiltinModel.TrainAsync(Path.Combine(_root, "b"), BuiltinModelOptions.Tiny);

        Assert.Equal(a.ValidationLossCurve, b.ValidationLossCurve);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "a", "model.safetensors")), File.ReadAllBytes(Path.Combine(_root, "b", "model.safetensors")));
    }
}
