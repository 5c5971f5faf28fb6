using PrunerPipeline.Model.Checkpoints;
using PrunerPipeline.Model;
using PrunerPipeline.Model.Adapters;
using PrunerPipeline.Training.Checkpoints;

namespace PrunerPipeline.Training.Tests;

/// <summary>A LoRA policy on a small decoder of the project's own architecture.</summary>
internal static class LoraPolicies
{
    public static readonly LoraOptions Adapter = new() { Rank = 4, Alpha = 8, Dropout = 0.1 };

    public static ModelConfig Config => new()
    {
        VocabSize = 16,
        HiddenSize = 16,
        IntermediateSize = 24,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        NumKeyValueHeads = 1,
        MaxPositionEmbeddings = 64,
        EosTokenId = 1,
    };

    public static string SaveBase(TemporaryFolder folder)
    {
        using var model = CausalLM.Create(Config, seed: 21);
        var path = Path.Combine(folder.Path, "base");
        model.Save(path);
        return path;
    }

    public static CausalLmPolicy Fresh(string baseFolder)
    {
        var model = CausalLM.Load(baseFolder);
        LoraInjection.Apply(model.Module, Adapter, seed: 5);
        return new CausalLmPolicy(model, Adapter, baseFolder);
    }

    public static CausalLmPolicy Resumed(string baseFolder, string adapterFolder)
    {
        var policy = Fresh(baseFolder);
        PeftAdapter.LoadWeights(adapterFolder, policy.Model.Module);
        return policy;
    }

    /// <summary>Every parameter's values as float32 (a BF16 base parameter is widened exactly).</summary>
    public static Dictionary<string, float[]> Snapshot(ITrainablePolicy policy) =>
        policy.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.to_type(TorchSharp.torch.ScalarType.Float32).data<float>().ToArray());
}

public class When_a_lora_policy_trains
{
    private static readonly TrainerOptions Options = TinyTraining.Options with { GradientCheckpointing = true };

    private static O1PrunerRecipe Recipe() => TinyTraining.Recipe();

    [Fact]
    public void Gradient_checkpointing_left_unset_is_decided_from_the_policy_model()
    {
        using var folder = new TemporaryFolder();
        var policy = LoraPolicies.Fresh(LoraPolicies.SaveBase(folder));
        var recipe = Recipe();

        // This 16-wide decoder keeps a few kilobytes of activations: below the 1 GiB default, above a 1-byte threshold.
        Assert.False(new PolicyTrainer(TinyTraining.Options).UsesGradientCheckpointing(policy, recipe));
        Assert.True(new PolicyTrainer(TinyTraining.Options with { GradientCheckpointingFromBytes = 1 }).UsesGradientCheckpointing(policy, recipe));
        Assert.False(new PolicyTrainer(TinyTraining.Options with { GradientCheckpointing = false, GradientCheckpointingFromBytes = 1 })
            .UsesGradientCheckpointing(policy, recipe));
        policy.Module.Dispose();
    }

    [Fact]
    public void Only_the_adapter_moves_and_only_it_has_optimizer_state()
    {
        using var folder = new TemporaryFolder("lora-train");
        var baseFolder = LoraPolicies.SaveBase(folder);
        using var policy = LoraPolicies.Fresh(baseFolder);
        var before = LoraPolicies.Snapshot(policy);

        var result = new PolicyTrainer(Options with { Epochs = 1 }).Train(policy, Recipe(), Path.Combine(folder.Path, "ckpt"), null, null, CancellationToken.None);

        var after = LoraPolicies.Snapshot(policy);
        foreach (var (name, weights) in before)
        {
            var moved = !weights.SequenceEqual(after[name]);
            Assert.True(moved == LoraInjection.IsAdapterParameter(name), $"{name}: moved = {moved}");
        }
        var checkpoint = result.Final.Directory;
        Assert.True(File.Exists(Path.Combine(checkpoint, PeftAdapter.ConfigFile)));
        Assert.True(File.Exists(Path.Combine(checkpoint, PeftAdapter.WeightsFile)));
        Assert.False(File.Exists(Path.Combine(checkpoint, "model.safetensors")), "an adapter checkpoint holds no full model");
        var moments = SafetensorsReader.ReadAll(Path.Combine(checkpoint, TrainingCheckpoint.OptimizerFileName));
        var adapterNames = LoraInjection.AdapterParameters(policy.Module).Select(p => p.Name).ToHashSet();
        Assert.Equal(2 * adapterNames.Count, moments.Count);
        Assert.All(moments.Keys, k => Assert.Contains(k[..k.LastIndexOf(".exp_avg", StringComparison.Ordinal)], adapterNames));
        foreach (var tensor in moments.Values)
        {
            tensor.Dispose();
        }

        // The checkpoint decodes as the base with the adapter merged in.
        using var merged = CausalLM.Load(checkpoint);
        Assert.False(LoraInjection.HasAdapters(merged.Module));
    }

    /// <summary>
    /// The trainer's LoRA policies keep a BF16 base in BF16 (<c>CausalLmPolicyLoader</c> loads it with
    /// <see cref="WeightDtype.AsStored"/>): the base stays 16-bit and frozen, the adapter is float32, and training moves
    /// only the adapter, with finite losses.
    /// </summary>
    [Fact]
    public void A_bfloat16_base_stays_bfloat16_and_only_the_float32_adapter_trains()
    {
        using var folder = new TemporaryFolder("lora-bf16");
        var baseFolder = Path.Combine(folder.Path, "base-bf16");
        using (var model = CausalLM.Create(LoraPolicies.Config, seed: 21))
            model.Save(baseFolder, dtype: "BF16");
        var loaded = CausalLM.Load(baseFolder, "cpu", WeightDtype.AsStored);
        LoraInjection.Apply(loaded.Module, LoraPolicies.Adapter, seed: 5);
        using var policy = new CausalLmPolicy(loaded, LoraPolicies.Adapter, baseFolder);
        foreach (var (name, parameter) in policy.Module.named_parameters())
        {
            var expected = LoraInjection.IsAdapterParameter(name) ? TorchSharp.torch.ScalarType.Float32 : TorchSharp.torch.ScalarType.BFloat16;
            Assert.True(parameter.dtype == expected, $"{name} is {parameter.dtype}, expected {expected}");
        }
        var before = LoraPolicies.Snapshot(policy);

        var result = new PolicyTrainer(Options with { Epochs = 1 }).Train(policy, Recipe(), Path.Combine(folder.Path, "ckpt"), null, null, CancellationToken.None);

        Assert.All(result.Metrics, m => Assert.True(double.IsFinite(m.Loss), $"step {m.Step}: loss {m.Loss}"));
        var after = LoraPolicies.Snapshot(policy);
        foreach (var (name, weights) in before)
        {
            var moved = !weights.SequenceEqual(after[name]);
            Assert.True(moved == LoraInjection.IsAdapterParameter(name), $"{name}: moved = {moved}");
        }
    }

    [Fact]
    public void A_resumed_adapter_run_ends_bit_identical_to_an_uninterrupted_one()
    {
        using var folder = new TemporaryFolder("lora-resume");
        var baseFolder = LoraPolicies.SaveBase(folder);
        var trainer = new PolicyTrainer(Options);
        var total = 2 * trainer.StepsPerEpoch(40);

        using var uninterrupted = LoraPolicies.Fresh(baseFolder);
        trainer.Train(uninterrupted, Recipe(), Path.Combine(folder.Path, "whole"), null, null, CancellationToken.None);

        var interruptedRoot = Path.Combine(folder.Path, "interrupted");
        using var kill = new CancellationTokenSource();
        using (var firstLife = LoraPolicies.Fresh(baseFolder))
        {
            Assert.Throws<OperationCanceledException>(() => trainer.Train(firstLife, Recipe(), interruptedRoot, null,
                new TrainingCallbacks { CheckpointSaved = (c, _) => { if (c.State.Step == 4) kill.Cancel(); } }, kill.Token));
        }
        var latest = TrainingCheckpoint.FindLatest(interruptedRoot)!;
        Assert.Equal(4, latest.State.Step);
        using var secondLife = LoraPolicies.Resumed(baseFolder, latest.Directory);
        var steps = new List<int>();
        trainer.Train(secondLife, Recipe(), interruptedRoot, latest, new TrainingCallbacks { StepCompleted = m => steps.Add(m.Step) }, CancellationToken.None);

        Assert.Equal(Enumerable.Range(5, total - 4), steps);
        var expected = LoraPolicies.Snapshot(uninterrupted);
        var actual = LoraPolicies.Snapshot(secondLife);
        foreach (var (name, weights) in expected)
        {
            Assert.True(weights.SequenceEqual(actual[name]), $"{name} differs after the resume");
        }
    }
}
