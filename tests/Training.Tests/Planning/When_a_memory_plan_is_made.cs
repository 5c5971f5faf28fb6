using PrunerPipeline.Model.Shapes;
using PrunerPipeline.Training.Planning;

namespace PrunerPipeline.Training.Tests.Planning;

public sealed class When_a_memory_plan_is_made
{
    private static PlanInputs Inputs(int? lora = null, bool checkpointing = false, int batch = 4) =>
        new(ModelShapes.Qwen25_05B.Config, StoredBytesPerParameter: 2, LoraRank: lora, Training: true, TrainBatch: batch, PromptTokens: 160,
            MaxNewTokens: 128, SamplesPerProblem: 2, RolloutBatch: 16, EvalBatch: 32, GradientCheckpointing: checkpointing, Device: "cpu",
            MemoryBytes: 24_000_000_000);

    [Fact]
    public void Full_fine_tuning_costs_16_bytes_per_parameter_before_activations()
    {
        var plan = MemoryPlanner.Plan(Inputs());
        var trainer = plan.Services.Single(s => s.Service == "trainer");

        Assert.Equal(494_032_768, plan.Parameters);
        Assert.Equal(4 * plan.Parameters, trainer.Weights);
        Assert.Equal(4 * plan.Parameters, trainer.Gradients);
        Assert.Equal(8 * plan.Parameters, trainer.Optimizer);
    }

    [Fact]
    public void The_frozen_reference_is_held_in_its_stored_dtype()
    {
        var rollouts = MemoryPlanner.Plan(Inputs()).Services.Single(s => s.Service == "rollouts");

        Assert.Equal(2 * 494_032_768L, rollouts.Weights);
        // On the CPU the managed engine packs its own copy in the same dtype (measured: 3.5 GB beside the 1.5B shape's 3.6 GB).
        Assert.Equal(2 * 494_032_768L, rollouts.EngineBuffers);
    }

    [Fact]
    public void Lora_trains_r_times_in_plus_out_per_projection_and_keeps_the_base_16_bit()
    {
        var config = ModelShapes.Qwen25_05B.Config;
        var plan = MemoryPlanner.Plan(Inputs(lora: 16));
        var trainer = plan.Services.Single(s => s.Service == "trainer");
        long h = config.HiddenSize, i = config.IntermediateSize, kv = config.KeyValueHeads * config.HeadDimension;
        var perLayer = 16 * ((h + h) + 2 * (h + kv) + (h + h) + 2 * (h + i) + (i + h));

        Assert.Equal(config.NumHiddenLayers * perLayer, plan.TrainableParameters);
        Assert.Equal(2 * plan.Parameters + 4 * plan.TrainableParameters, trainer.Weights);
        Assert.Equal(8 * plan.TrainableParameters, trainer.Optimizer);
    }

    [Fact]
    public void Gradient_checkpointing_holds_fewer_activations()
    {
        var without = MemoryPlanner.Plan(Inputs()).Services.Single(s => s.Service == "trainer");
        var with = MemoryPlanner.Plan(Inputs(checkpointing: true)).Services.Single(s => s.Service == "trainer");

        Assert.True(with.Activations < without.Activations / 3, $"{with.Activations} vs {without.Activations}");
    }

    [Fact]
    public void Activations_are_bounded_by_the_micro_batch_not_the_batch()
    {
        var small = MemoryPlanner.Plan(Inputs(batch: 16)).Services.Single(s => s.Service == "trainer");
        var large = MemoryPlanner.Plan(Inputs(batch: 64)).Services.Single(s => s.Service == "trainer");

        Assert.Equal(small.Activations, large.Activations);
    }

    [Fact]
    public void The_embedded_process_peaks_at_its_largest_service()
    {
        var plan = MemoryPlanner.Plan(Inputs());

        // Its stages take turns and each frees the idle cached models first: its peak is the largest service's.
        Assert.Equal(plan.Services.Max(s => s.Peak), plan.Embedded.Peak);
        Assert.True(plan.Fits(plan.Services.Single(s => s.Service == "rollouts")));
    }

    [Fact]
    public void Gradient_checkpointing_defaults_on_for_real_shapes_and_off_for_the_built_in_model()
    {
        // The runs: 4 sequences of ~250 tokens (prompt ~120 + 128 new) per step.
        Assert.True(MemoryPlanner.WantsGradientCheckpointing(ModelShapes.Qwen25_05B.Config, 250, 4, 4096));
        Assert.True(MemoryPlanner.WantsGradientCheckpointing(ModelShapes.R1DistillQwen15B.Config, 250, 4, 4096));
        // The built-in model's shape (hidden 128, 4 layers, intermediate 384) at the demo's longest sequences, batch 16.
        var builtin = ModelShapes.Qwen25_05B.Config with
        {
            HiddenSize = 128, IntermediateSize = 384, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2, VocabSize = 64,
        };
        Assert.False(MemoryPlanner.WantsGradientCheckpointing(builtin, 512, 16, 4096));
        // The estimate is the layers' kept activations: ~6.8 GB at the 1.5B shape, which is what its training held without it.
        var kept = MemoryPlanner.KeptActivationBytes(ModelShapes.R1DistillQwen15B.Config, 250, 4, 4096);
        Assert.InRange(kept, 6.0e9, 7.5e9);
    }
}
