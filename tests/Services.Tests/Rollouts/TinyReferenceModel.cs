using System.Text.Json;
using System.Text.Json.Nodes;
using PrunerPipeline.TestSupport;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>
/// A tiny random-weight reference model in Hugging Face layout, made once per test run: the weights of the shared
/// <c>qwen2-tiny</c> fixture (vocab 512) with a byte-level tokenizer of 256 byte tokens plus the three ChatML
/// specials (ids 256–258), so every id it produces is inside the model's vocabulary.
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
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), ByteLevelTokenizerJson());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"),
            new JsonObject { ["eos_token"] = "<|im_end|>", ["pad_token"] = "<|endoftext|>", ["add_bos_token"] = false }.ToJsonString());
        return folder;
    }

    /// <summary>A Qwen-style tokenizer.json whose BPE has no merges: one token per byte, in GPT-2's byte-to-unicode alphabet.</summary>
    private static string ByteLevelTokenizerJson()
    {
        var vocab = new JsonObject();
        foreach (var (symbol, id) in ByteSymbols())
        {
            vocab[symbol] = id;
        }

        JsonObject Special(int id, string content) => new()
        {
            ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false,
            ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        };
        JsonObject ByteLevel() => new() { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };

        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(Special(EndOfText, "<|endoftext|>"), Special(ImStart, "<|im_start|>"), Special(ImEnd, "<|im_end|>")),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+" },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    ByteLevel()),
            },
            ["post_processor"] = ByteLevel(),
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(),
            },
        };
        return tokenizer.ToJsonString();
    }

    /// <summary>GPT-2's reversible byte → printable character map; the vocabulary ids follow the byte values.</summary>
    private static IEnumerable<(string Symbol, int Id)> ByteSymbols()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var symbol = printable.Contains(b) ? (char)b : (char)next++;
            yield return (symbol.ToString(), b);
        }
    }
}
