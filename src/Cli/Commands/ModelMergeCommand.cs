using PrunerPipeline.Model.Adapters;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner model merge --base DIR --adapter DIR --output DIR</c>: folds a PEFT LoRA adapter (a checkpoint of an adapter
/// run) into its base and writes a plain Hugging Face checkpoint any tool can load, in the base's dtype.
/// </summary>
internal static class ModelMergeCommand
{
    public static Command Create()
    {
        var baseModel = new Option<string?>("--base") { Description = "The base model folder (default: the adapter's base_model_name_or_path, when it is a folder here)." };
        var adapter = new Option<string>("--adapter") { Description = "The adapter folder (adapter_config.json + adapter_model.safetensors).", Required = true };
        var output = new Option<string>("--output") { Description = "Folder for the merged checkpoint.", Required = true };
        var command = new Command("merge", "Merge a LoRA adapter into its base model and save the result as a Hugging Face checkpoint.")
        {
            baseModel, adapter, output,
        };
        command.SetAction(parseResult =>
        {
            var adapterFolder = parseResult.GetValue(adapter)!;
            var baseFolder = parseResult.GetValue(baseModel);
            if (!File.Exists(Path.Combine(adapterFolder, PeftAdapter.ConfigFile)))
            {
                Console.Error.WriteLine($"--adapter: '{adapterFolder}' holds no {PeftAdapter.ConfigFile}");
                return 2;
            }
            if (baseFolder is not null && !File.Exists(Path.Combine(baseFolder, "config.json")) && !PeftAdapter.IsAdapterFolder(baseFolder))
            {
                Console.Error.WriteLine($"--base: '{baseFolder}' holds no config.json");
                return 2;
            }
            try
            {
                var dtype = PeftAdapter.Merge(baseFolder, adapterFolder, parseResult.GetValue(output)!);
                Console.WriteLine($"merged {adapterFolder} into {parseResult.GetValue(output)} ({dtype})");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"merge: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
