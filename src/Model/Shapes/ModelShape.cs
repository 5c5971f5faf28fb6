namespace PrunerPipeline.Model.Shapes;

/// <summary>
/// A published model's exact architecture (its <c>config.json</c>) and how its checkpoint is sharded, so that a
/// random-weight stand-in can be written with the same memory and compute profile (<see cref="RandomCheckpointWriter"/>).
/// </summary>
/// <param name="Name">the CLI name, e.g. <c>qwen2.5-0.5b</c></param>
/// <param name="HubRepo">the Hugging Face repository it stands in for, e.g. <c>Qwen/Qwen2.5-0.5B</c></param>
/// <param name="Config">the real config.json's fields</param>
/// <param name="Shards">how many safetensors files the real checkpoint has (1 = a single model.safetensors)</param>
public sealed record ModelShape(string Name, string HubRepo, ModelConfig Config, int Shards);
