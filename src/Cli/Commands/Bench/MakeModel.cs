using PrunerPipeline.Model;
using PrunerPipeline.Model.Benchmarks;
using PrunerPipeline.Model.Shapes;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary>
/// <c>pruner bench make-model</c>: a random-weight checkpoint, either of a published model's exact shape
/// (<c>--shape qwen2.5-0.5b|r1-distill-qwen-1.5b|qwen2.5-7b|qwen2.5-32b</c>, sharded like the real one, with the Qwen
/// tokenizer, optionally laid out as the Hugging Face hub cache) or of the given dimensions (default: the ~10M benchmark
/// config). Weights are streamed tensor by tensor (<see cref="RandomModelFolder"/>), so a 7B shape needs no 30 GB.
/// </summary>
internal static class MakeModel
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder to write the checkpoint to (with --layout hub-cache: the hub cache root).", Required = true };
        var shape = new Option<string?>("--shape") { Description = $"A published model's exact config: {string.Join(", ", ModelShapes.Names)}." };
        shape.AcceptOnlyFromAmong([.. ModelShapes.Names]);
        var dtype = new Option<string>("--dtype") { Description = "bf16 or f32 (default: bf16 with --shape, else f32).", };
        dtype.AcceptOnlyFromAmong("bf16", "f32");
        var layout = new Option<string>("--layout") { Description = "plain (a model folder) or hub-cache (models--org--name/{blobs,refs,snapshots} under --output).", DefaultValueFactory = _ => "plain" };
        layout.AcceptOnlyFromAmong("plain", "hub-cache");
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Folder with tokenizer.json to copy in (default with --shape: shared/tokenizers/qwen3)." };
        var shards = new Option<int?>("--shards") { Description = "Safetensors files (default: as many as the real checkpoint has)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var hidden = new Option<int>("--hidden") { DefaultValueFactory = _ => 256 };
        var layers = new Option<int>("--layers") { DefaultValueFactory = _ => 8 };
        var heads = new Option<int>("--heads") { DefaultValueFactory = _ => 8 };
        var kvHeads = new Option<int>("--kv-heads") { DefaultValueFactory = _ => 4 };
        var intermediate = new Option<int>("--intermediate") { DefaultValueFactory = _ => 704 };
        var vocab = new Option<int>("--vocab") { DefaultValueFactory = _ => 4096 };
        var command = new Command("make-model", "Write a random-weight Qwen2 checkpoint: a published model's shape (--shape) or given dimensions (default: the ~10M benchmark config).")
        {
            output, shape, dtype, layout, tokenizer, shards, seed, hidden, layers, heads, kvHeads, intermediate, vocab,
        };
        command.SetAction(parseResult =>
        {
            var published = parseResult.GetValue(shape) is { } name ? ModelShapes.Find(name) : null;
            var config = published?.Config ?? new ModelConfig
            {
                VocabSize = parseResult.GetValue(vocab),
                HiddenSize = parseResult.GetValue(hidden),
                IntermediateSize = parseResult.GetValue(intermediate),
                NumHiddenLayers = parseResult.GetValue(layers),
                NumAttentionHeads = parseResult.GetValue(heads),
                NumKeyValueHeads = parseResult.GetValue(kvHeads),
                MaxPositionEmbeddings = 4096,
                TieWordEmbeddings = true,
            };
            var problems = config.Validate();
            if (problems.Count > 0)
                return BenchOutput.Fail(string.Join("; ", problems));
            var stored = (parseResult.GetValue(dtype) ?? (published is null ? "f32" : "bf16")) == "bf16" ? "BF16" : "F32";
            var shardCount = parseResult.GetValue(shards) ?? published?.Shards ?? 1;
            if (shardCount < 1)
                return BenchOutput.Fail("--shards: must be at least 1");
            var tokenizerFolder = parseResult.GetValue(tokenizer) ?? (published is null ? null : FindSharedTokenizer());
            if (published is not null && tokenizerFolder is null)
                return BenchOutput.Fail("--tokenizer: no shared/tokenizers/qwen3 folder found above the current directory; pass --tokenizer DIR (a folder with tokenizer.json)");
            if (tokenizerFolder is not null && !File.Exists(Path.Combine(tokenizerFolder, "tokenizer.json")))
                return BenchOutput.Fail($"--tokenizer: '{tokenizerFolder}' holds no tokenizer.json");
            var hubCache = parseResult.GetValue(layout) == "hub-cache";
            var repoId = published?.HubRepo ?? "pruner/random-model";

            var destination = Path.GetFullPath(parseResult.GetValue(output)!);
            var written = RandomModelFolder.Write(config, destination, stored, shardCount, parseResult.GetValue(seed), tokenizerFolder, hubCache ? repoId : null);
            return BenchOutput.Print(new
            {
                output = destination,
                model_folder = written.ModelFolder,
                model_id = hubCache ? $"hf:{repoId}" : null,
                shape = published?.Name,
                dtype = stored,
                parameters = written.Parameters,
                weight_bytes = written.WeightBytes,
                shards = written.Shards,
            });
        });
        return command;
    }

    /// <summary>The first <c>shared/tokenizers/qwen3</c> above the current directory or the executable.</summary>
    private static string? FindSharedTokenizer()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "tokenizers", "qwen3");
                if (File.Exists(Path.Combine(candidate, "tokenizer.json")))
                    return candidate;
            }
        }
        return null;
    }
}
