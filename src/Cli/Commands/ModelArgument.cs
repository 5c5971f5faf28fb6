using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// What a <c>--model</c> option names, resolved on this machine with no download: a model folder, a hub-cache snapshot
/// or <c>models--org--name</c> folder, <c>hf:org/name[@revision]</c> (hub cache: <c>HF_HUB_CACHE</c>, else
/// <c>HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>), or a prefix of the local artifact store (<c>builtin</c>,
/// <c>runs/R/checkpoints/step-N</c>). A miss is a <see cref="ModelNotFoundException"/> whose one line says where it looked.
/// </summary>
internal static class ModelArgument
{
    public const string Description =
        "A model folder, a hub-cache snapshot or models--org--name folder, hf:org/name[@revision] (offline, from the Hugging Face hub cache), " +
        "or an artifact-store prefix such as builtin or runs/R/checkpoints/step-000010.";

    public static string Resolve(string reference, string storeRoot = "./.pruner/store")
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw new ModelNotFoundException(reference, "--model: empty; " + Description);
        string? folder;
        try
        {
            folder = ModelLocator.ResolveLocal(reference, anyExistingFolder: true);
        }
        catch (ModelNotFoundException e)
        {
            throw new ModelNotFoundException(reference, "--model: " + e.Message);
        }
        if (folder is not null)
            return folder;
        var prefix = ModelLocator.PrefixOf(reference);
        var inStore = Path.GetFullPath(Path.Combine(storeRoot, prefix));
        if (File.Exists(Path.Combine(inStore, "config.json")))
            return inStore;
        throw new ModelNotFoundException(reference,
            $"--model: '{reference}' not found: not a folder, not an hf: id, and no config.json under '{prefix}' in the artifact store {Path.GetFullPath(storeRoot)}");
    }
}
