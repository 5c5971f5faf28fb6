using PrunerPipeline.Model;
using PrunerPipeline.Model.Adapters;
using static TorchSharp.torch;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary><c>pruner model merge</c> writes the merged checkpoint, and bad folders get one-line errors.</summary>
public sealed class When_merging_an_adapter_with_the_cli
{
    private static readonly string Fixture = Path.Combine(RepositoryRoot.Find(), "..", "shared", "fixtures", "qwen2-tiny");

    private static void SaveAdapter(string folder, string baseModel)
    {
        using var model = CausalLM.Load(Fixture);
        var options = new LoraOptions { Rank = 2, Alpha = 4, Targets = ["q_proj", "up_proj"] };
        LoraInjection.Apply(model.Module, options, seed: 1);
        using (no_grad())
        {
            foreach (var (_, b) in LoraInjection.AdapterParameters(model.Module).Where(p => p.Name.EndsWith("lora_B.weight", StringComparison.Ordinal)))
            {
                b.fill_(0.01);
            }
        }
        PeftAdapter.Save(folder, model.Module, options, baseModel);
    }

    [Fact]
    public void The_merged_checkpoint_has_the_adapted_weights()
    {
        using var folder = new TemporaryFolder("cli-merge");
        var adapter = Path.Combine(folder.Path, "adapter");
        var output = Path.Combine(folder.Path, "merged");
        SaveAdapter(adapter, Fixture);

        var (code, stdout, stderr) = Run("model", "merge", "--adapter", adapter, "--output", output);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("merged", stdout);
        using var merged = CausalLM.Load(output);
        using var expected = CausalLM.Load(adapter);
        using var baseModel = CausalLM.Load(Fixture);
        var ids = tensor(new long[,] { { 5, 9, 300, 2 } });
        using var noGrad = no_grad();
        Assert.True(merged.Module.forward(ids).equal(expected.Module.forward(ids)).all().item<bool>());
        Assert.False(merged.Module.forward(ids).equal(baseModel.Module.forward(ids)).all().item<bool>());
    }

    [Fact]
    public void An_adapter_whose_base_is_missing_fails_in_one_line_naming_it()
    {
        using var folder = new TemporaryFolder("cli-merge-bad");
        var adapter = Path.Combine(folder.Path, "adapter");
        SaveAdapter(adapter, "/nowhere/base-model");

        var (code, _, stderr) = Run("model", "merge", "--adapter", adapter, "--output", Path.Combine(folder.Path, "out"));
        Assert.NotEqual(0, code);
        Assert.Contains("'/nowhere/base-model'", stderr);
        Assert.DoesNotContain("   at ", stderr);

        var (missing, _, error) = Run("model", "merge", "--adapter", Path.Combine(folder.Path, "absent"), "--output", Path.Combine(folder.Path, "out"));
        Assert.Equal(2, missing);
        Assert.Contains("--adapter", error);
    }

    private static (int Code, string Output, string Error) Run(params string[] arguments) => PrunerCli.Run(arguments);
}
