using System.Text.Json;
using System.Text.Json.Nodes;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>
/// A tiny random-weight reference model in Hugging Face layout, made once per test run: the weights of the shared
/// <c>qwen2-tiny</c> fixture (vocab 512) with a byte-level tokenizer of 256 byte tokens plus the synthetic task's
/// special tokens (ids 256–260), so every id it produces is inside the model's vocabulary.
/// </summary>
internal static class TinyReferenceModel
{
    public const int EndOfText = 256;
    public const int ImStart = 257;
    public const int ImEnd = 258;

    private static readonly Lazy<string> Created = new(Create);

    /// <summary>The model folder (a local path, so <c>ModelLocator</c> uses it as is).</summary>
    public static string Folder => Created.Value;

    private static string Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"pruner-tiny-reference-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var fixture = Path.Combine(RepositoryRoot.Find(), "..", "shared", "fixtures", "qwen2-tiny");
        File.Copy(Path.Combine(fixture, "model.safetensors"), Path.Combine(folder, "model.safetensors"), overwrite: true);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture, "config.json")))!.AsObject();
        // Byte-level prompts are long (a byte a token): room for a system prompt and a question.
        config["max_position_embeddings"] = 2048;
        config["bos_token_id"] = EndOfText;
        config["eos_token_id"] = ImEnd;
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, "generation_config.json"),
            new JsonObject { ["bos_token_id"] = EndOfText, ["eos_token_id"] = new JsonArray(ImEnd, EndOfText) }.ToJsonString());
        // The synthetic tokenizer without merges: a token per byte (ids 0–255), then its special tokens from 256.
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), SyntheticTokenizer.Build([], maxMerges: 0));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"),
            new JsonObject { ["eos_token"] = "<|im_end|>", ["pad_token"] = "<|endoftext|>", ["add_bos_token"] = false }.ToJsonString());
        return folder;
    }
}
