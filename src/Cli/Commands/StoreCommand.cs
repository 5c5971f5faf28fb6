using Microsoft.Extensions.Configuration;
using PrunerPipeline.Hosting;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner store ls|cat|put|get</c>: the artifact store from the command line, configured like the services
/// (Artifacts__Provider, Artifacts__ConnectionString, ... from the environment; <c>--store DIR</c> for a folder).
/// Used by the distributed end-to-end script and for looking at a run's blobs.
/// </summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var command = new Command("store", "List, print, upload and download artifact-store blobs.");

        var prefix = new Argument<string>("prefix") { Description = "Blob name prefix, e.g. runs/my-run/ (empty for all).", DefaultValueFactory = _ => "" };
        var lsStore = StoreOption();
        var ls = new Command("ls", "List blob names under a prefix.") { prefix, lsStore };
        ls.SetAction((parse, ct) => Guard(async () =>
        {
            await foreach (var name in Open(parse.GetValue(lsStore)).ListAsync(parse.GetValue(prefix)!, ct))
            {
                Console.WriteLine(name);
            }
            return 0;
        }));

        var name = new Argument<string>("name") { Description = "Blob name, e.g. runs/my-run/run.json." };
        var catStore = StoreOption();
        var cat = new Command("cat", "Print a blob to standard output.") { name, catStore };
        cat.SetAction((parse, ct) => Guard(async () =>
        {
            await using var stream = await Open(parse.GetValue(catStore)).OpenReadAsync(parse.GetValue(name)!, ct);
            if (stream is null)
            {
                Console.Error.WriteLine($"name: no blob '{parse.GetValue(name)}'");
                return 1;
            }
            await using var stdout = Console.OpenStandardOutput();
            await stream.CopyToAsync(stdout, ct);
            return 0;
        }));

        var folder = new Argument<DirectoryInfo>("folder") { Description = "Local folder." };
        var target = new Argument<string>("prefix") { Description = "Blob prefix, e.g. models/builtin." };
        var putStore = StoreOption();
        var put = new Command("put", "Upload a local folder under a blob prefix.") { folder, target, putStore };
        put.SetAction((parse, ct) => Guard(async () =>
        {
            var source = parse.GetValue(folder)!;
            if (!source.Exists)
            {
                Console.Error.WriteLine($"folder: '{source.FullName}' does not exist");
                return 2;
            }
            var written = await Open(parse.GetValue(putStore)).UploadFolderAsync(parse.GetValue(target)!, source.FullName, ct);
            Console.WriteLine($"{written.Count} files uploaded under {parse.GetValue(target)}/");
            return 0;
        }));

        var source = new Argument<string>("prefix") { Description = "Blob prefix to download." };
        var destination = new Argument<DirectoryInfo>("folder") { Description = "Local folder to write into." };
        var getStore = StoreOption();
        var get = new Command("get", "Download every blob under a prefix into a local folder.") { source, destination, getStore };
        get.SetAction((parse, ct) => Guard(async () =>
        {
            var count = await Open(parse.GetValue(getStore)).DownloadFolderAsync(parse.GetValue(source)!, parse.GetValue(destination)!.FullName, ct);
            Console.WriteLine($"{count} files downloaded into {parse.GetValue(destination)!.FullName}");
            return count > 0 ? 0 : 1;
        }));

        command.Subcommands.Add(ls);
        command.Subcommands.Add(cat);
        command.Subcommands.Add(put);
        command.Subcommands.Add(get);
        return command;
    }

    private static Option<string?> StoreOption() => new("--store") { Description = "A file-system store folder (default: the Artifacts__* environment, else ./.pruner/store)." };

    private static IArtifactStore Open(string? folder)
    {
        if (folder is not null)
        {
            return new FileSystemArtifactStore(folder);
        }
        return PrunerHostingExtensions.CreateArtifactStore(CliConfiguration.ArtifactStore());
    }

    /// <summary>Bad names and configuration become one clear line and exit code 2, not a stack trace.</summary>
    private static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}
