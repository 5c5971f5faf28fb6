using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>
/// Builds the built-in model's <c>tokenizer.json</c>: a Hugging Face byte-level BPE tokenizer of the same shape as
/// Qwen's (Split with Qwen's pre-tokenizer regex, then ByteLevel; ByteLevel decoder), so it loads through the same
/// code path as a real model. The vocabulary is the 256 byte symbols plus merges learned on the synthetic corpus;
/// digits are never merged, so every number is spelled digit by digit, as in Qwen.
/// </summary>
public static partial class SyntheticTokenizer
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>Added tokens, in id order after the BPE vocabulary.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = [EndOfText, ImStart, ImEnd, TeacherTrace.ThinkOpen, TeacherTrace.ThinkClose];

    /// <summary>Qwen2/Qwen3's pre-tokenizer pattern (digits are single pre-tokens).</summary>
    public const string PreTokenizerPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>
    /// Learns up to <paramref name="maxMerges"/> merges from <paramref name="corpus"/> (special tokens are cut out
    /// first) and returns the tokenizer.json text. Deterministic: ties go to the ordinally smallest pair.
    /// </summary>
    public static string Build(IEnumerable<string> corpus, int maxMerges = 300)
    {
        var byteSymbols = ByteSymbols();
        var words = CountWords(corpus, byteSymbols);
        var merges = LearnMerges(words, maxMerges);

        var vocab = new JsonObject();
        var id = 0;
        foreach (var symbol in byteSymbols)
            vocab[symbol] = id++;
        foreach (var (left, right) in merges)
            if (!vocab.ContainsKey(left + right)) // two merge paths can spell the same token
                vocab[left + right] = id++;

        var added = new JsonArray();
        foreach (var token in SpecialTokens)
            added.Add(new JsonObject
            {
                ["id"] = id++, ["content"] = token, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });

        var byteLevel = () => new JsonObject
        {
            ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false,
        };
        var document = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = PreTokenizerPattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    byteLevel()),
            },
            ["post_processor"] = byteLevel(),
            ["decoder"] = byteLevel(),
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
                ["merges"] = new JsonArray(merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right)).ToArray()),
            },
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The corpus the built-in tokenizer is learned from: chat-formatted teacher examples of the default task.</summary>
    public static IEnumerable<string> DefaultCorpus(SyntheticTask task, int examples = 2000)
    {
        for (var i = 0; i < examples; i++)
        {
            var example = task.TrainingExample(i);
            yield return $"{ImStart}user\n{example.UserTurn}{ImEnd}\n{ImStart}assistant\n{example.Trace}{ImEnd}\n";
        }
    }

    /// <summary>Writes the default task's tokenizer.json to <paramref name="path"/>.</summary>
    public static void WriteDefault(string path, SyntheticTask? task = null) =>
        File.WriteAllText(path, Build(DefaultCorpus(task ?? SyntheticTask.Default)), new UTF8Encoding(false));

    private static Dictionary<string[], int> CountWords(IEnumerable<string> corpus, string[] byteSymbols)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var specials = new Regex(string.Join("|", SpecialTokens.Select(Regex.Escape)));
        foreach (var text in corpus)
            foreach (var piece in specials.Split(text.Normalize(NormalizationForm.FormC)))
                foreach (Match match in PreTokenizer().Matches(piece))
                {
                    var mapped = string.Concat(Encoding.UTF8.GetBytes(match.Value).Select(b => byteSymbols[b]));
                    counts[mapped] = counts.GetValueOrDefault(mapped) + 1;
                }
        var words = new Dictionary<string[], int>();
        foreach (var (word, count) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            words[word.Select(c => c.ToString()).ToArray()] = count;
        return words;
    }

    private static List<(string Left, string Right)> LearnMerges(Dictionary<string[], int> words, int maxMerges)
    {
        var merges = new List<(string, string)>();
        var current = words.Select(kv => (Symbols: kv.Key.ToList(), Count: kv.Value)).ToList();
        while (merges.Count < maxMerges)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach (var (symbols, count) in current)
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (IsDigit(symbols[i]) || IsDigit(symbols[i + 1]))
                        continue;
                    var pair = (symbols[i], symbols[i + 1]);
                    pairs[pair] = pairs.GetValueOrDefault(pair) + count;
                }
            if (pairs.Count == 0)
                break;
            var best = pairs
                .OrderByDescending(kv => kv.Value)
                .ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal)
                .ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
                .First();
            if (best.Value < 2)
                break;
            merges.Add(best.Key);
            var joined = best.Key.Item1 + best.Key.Item2;
            foreach (var (symbols, _) in current)
                for (var i = 0; i + 1 < symbols.Count; i++)
                    if (symbols[i] == best.Key.Item1 && symbols[i + 1] == best.Key.Item2)
                    {
                        symbols[i] = joined;
                        symbols.RemoveAt(i + 1);
                    }
        }
        return merges;
    }

    private static bool IsDigit(string symbol) => symbol.Any(char.IsAsciiDigit);

    /// <summary>GPT-2's byte-to-symbol map: printable bytes stand for themselves, the rest are shifted above U+0100.</summary>
    internal static string[] ByteSymbols()
    {
        var symbols = new string[256];
        var shifted = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            symbols[b] = ((char)(printable ? b : 256 + shifted++)).ToString();
        }
        return symbols;
    }

    [GeneratedRegex(PreTokenizerPattern)]
    private static partial Regex PreTokenizer();
}
