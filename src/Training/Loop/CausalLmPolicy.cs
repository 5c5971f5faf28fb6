using PrunerPipeline.Model;
using PrunerPipeline.Model.Adapters;
using PrunerPipeline.Model.Checkpoints;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>
/// The project's decoder as a trainable policy: teacher-forced log-probs and Hugging Face saving come from src/Model.
/// With <paramref name="adapter"/> the model carries injected LoRA adapters (only they train) and saves as a PEFT adapter
/// folder whose base_model_name_or_path is <paramref name="baseModel"/>.
/// </summary>
public sealed class CausalLmPolicy(CausalLM model, LoraOptions? adapter = null, string? baseModel = null) : ITrainablePolicy, IDisposable
{
    public CausalLM Model { get; } = model;

    public LoraOptions? Adapter { get; } = adapter;

    public nn.Module Module => Model.Module;

    public Device Device => Model.Device;

    public (Tensor LogProbs, Tensor Mask) CompletionLogProbs(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions) =>
        TeacherForcing.CompletionLogProbs(Model.Module, prompts, completions);

    /// <summary>
    /// Full fine-tuning: weights, config, generation config, and the tokenizer files of the folder the policy was loaded
    /// from. LoRA: adapter_config.json + adapter_model.safetensors (PEFT layout) and the tokenizer files.
    /// </summary>
    public void Save(string directory)
    {
        if (Adapter is null)
        {
            Model.Save(directory);
            return;
        }
        PeftAdapter.Save(directory, Model.Module, Adapter, baseModel ?? Model.SourceDirectory ?? "");
        if (Model.SourceDirectory is { } source)
        {
            foreach (var file in CheckpointFiles.TokenizerFiles.Where(f => File.Exists(Path.Combine(source, f))))
            {
                File.Copy(Path.Combine(source, file), Path.Combine(directory, file), overwrite: true);
            }
        }
    }

    public void Dispose() => Model.Dispose();
}
