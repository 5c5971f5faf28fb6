using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace PrunerPipeline.Model;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (GPT-2 / Qwen2 / Qwen3 family) read from <c>tokenizer.json</c> and run by
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>. Added tokens (<c>&lt;|im_end|&gt;</c>, ...) found in the text
/// become their single ids; the rest is NFC-normalised (when the file asks for it), split by the file's pre-tokenizer
/// regex and merged. No BOS/EOS is ever added.
/// </summary>
public sealed class TextTokenizer
{
    /// <summary>The GPT-2 split pattern, used when a ByteLevel pre-tokenizer asks for its built-in regex.</summary>
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly ConcurrentDictionary<(string Path, DateTime Written), TextTokenizer> Cache = new();

    private readonly BpeTokenizer bpe;
    private readonly Dictionary<string, int> addedTokens;
    private readonly Dictionary<int, string> addedById;
    private readonly Regex? addedTokenPattern;
    private readonly bool nfc;

    private TextTokenizer(BpeTokenizer bpe, Dictionary<string, int> addedTokens, bool nfc, IReadOnlyList<int> eosTokenIds, int? padTokenId)
    {
        this.bpe = bpe;
        this.addedTokens = addedTokens;
        this.nfc = nfc;
        addedById = addedTokens.ToDictionary(p => p.Value, p => p.Key);
        if (addedTokens.Count > 0)
        {
            // Longest first, so a token that contains another wins.
            var alternatives = addedTokens.Keys.OrderByDescending(t => t.Length).Select(Regex.Escape);
            addedTokenPattern = new Regex(string.Join("|", alternatives), RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
        EosTokenIds = eosTokenIds;
        PadTokenId = padTokenId;
        VocabularySize = Math.Max(bpe.Vocabulary.Values.DefaultIfEmpty(-1).Max(), addedById.Keys.DefaultIfEmpty(-1).Max()) + 1;
    }

    /// <summary>One more than the largest id, added tokens included.</summary>
    public int VocabularySize { get; }

    /// <summary>Ids that end a turn or a document: the config's <c>eos_token</c>, <c>&lt;|im_end|&gt;</c> and <c>&lt;|endoftext|&gt;</c> where they exist.</summary>
    public IReadOnlyList<int> EosTokenIds { get; }

    public int? PadTokenId { get; }

    /// <summary>Loads a <c>tokenizer.json</c> (or the folder holding it and, optionally, <c>tokenizer_config.json</c>); loaded files are cached per path and write time.</summary>
    public static TextTokenizer Load(string pathOrDirectory)
    {
        var path = Directory.Exists(pathOrDirectory) ? Path.Combine(pathOrDirectory, "tokenizer.json") : pathOrDirectory;
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: tokenizer.json not found", path);
        var full = Path.GetFullPath(path);
        return Cache.GetOrAdd((full, File.GetLastWriteTimeUtc(full)), key => Read(key.Path));
    }

    public int? TokenId(string token) =>
        addedTokens.TryGetValue(token, out var id) ? id : bpe.Vocabulary.TryGetValue(token, out var vocabId) ? vocabId : null;

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        var start = 0;
        if (addedTokenPattern is not null)
        {
            foreach (Match match in addedTokenPattern.Matches(text))
            {
                EncodeOrdinary(text[start..match.Index], ids);
                ids.Add(addedTokens[match.Value]);
                start = match.Index + match.Length;
            }
        }
        EncodeOrdinary(text[start..], ids);
        return ids;
    }

    /// <summary>Text of the ids, added tokens kept as their strings.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (addedById.TryGetValue(id, out var token))
            {
                Flush();
                text.Append(token);
            }
            else
            {
                run.Add(id);
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (run.Count == 0)
                return;
            text.Append(bpe.Decode(run));
            run.Clear();
        }
    }

    private void EncodeOrdinary(string segment, List<int> ids)
    {
        if (segment.Length == 0)
            return;
        if (nfc)
            segment = Nfc(segment);
        ids.AddRange(bpe.EncodeToIds(segment, considerPreTokenization: true, considerNormalization: false));
    }

    /// <summary>
    /// NFC as Hugging Face applies it. .NET refuses to normalise strings holding noncharacters or lone surrogates;
    /// those are starters that NFC leaves alone, so the text between them is normalised piece by piece.
    /// </summary>
    private static string Nfc(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            var result = new StringBuilder(text.Length);
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var isPair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                var codePoint = isPair ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
                var unnormalisable = (!isPair && char.IsSurrogate(text[i])) || (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
                if (unnormalisable)
                {
                    result.Append(text.AsSpan(start, i - start).ToString().Normalize(NormalizationForm.FormC));
                    result.Append(text, i, isPair ? 2 : 1);
                    start = i + (isPair ? 2 : 1);
                }
                if (isPair)
                    i++;
            }
            result.Append(text[start..].Normalize(NormalizationForm.FormC));
            return result.ToString();
        }
    }

    private static TextTokenizer Read(string path)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            InvalidDataException Fail(string message) => new($"{path}: {message}");

            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
                throw Fail("field 'model' is missing");
            var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type != "BPE")
                throw Fail($"field 'model.type' is '{type}'; only byte-level BPE tokenizers are supported");
            if (!IsByteLevel(root))
                throw Fail("field 'decoder' is not ByteLevel; only byte-level BPE tokenizers (GPT-2, Qwen2, Qwen3) are supported");
            if (!model.TryGetProperty("vocab", out var vocabElement) || vocabElement.ValueKind != JsonValueKind.Object)
                throw Fail("field 'model.vocab' is missing or not an object");
            if (!model.TryGetProperty("merges", out var mergesElement) || mergesElement.ValueKind != JsonValueKind.Array)
                throw Fail("field 'model.merges' is missing or not a list");

            var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in vocabElement.EnumerateObject())
                vocabulary[entry.Name] = entry.Value.GetInt32();
            var merges = new List<string>(mergesElement.GetArrayLength());
            var index = 0;
            foreach (var merge in mergesElement.EnumerateArray())
            {
                merges.Add(merge.ValueKind switch
                {
                    JsonValueKind.String => merge.GetString()!,
                    JsonValueKind.Array when merge.GetArrayLength() == 2 => $"{merge[0].GetString()} {merge[1].GetString()}",
                    _ => throw Fail($"field 'model.merges[{index}]' must be \"a b\" or [\"a\", \"b\"]"),
                });
                index++;
            }

            var added = new Dictionary<string, int>(StringComparer.Ordinal);
            if (root.TryGetProperty("added_tokens", out var addedElement) && addedElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var token in addedElement.EnumerateArray())
                {
                    var content = token.TryGetProperty("content", out var c) ? c.GetString() : null;
                    if (string.IsNullOrEmpty(content) || !token.TryGetProperty("id", out var id))
                        throw Fail("an entry of 'added_tokens' lacks 'content' or 'id'");
                    added[content] = id.GetInt32();
                }
            }

            var bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
            {
                Merges = merges,
                ByteLevel = true,
                PreTokenizer = new CodePointRegexPreTokenizer(new Regex(SplitPattern(root, Fail), RegexOptions.Compiled)),
            });
            var nfc = root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object
                && normalizer.TryGetProperty("type", out var normalizerType) && normalizerType.GetString() == "NFC";

            var config = ReadConfig(Path.Combine(Path.GetDirectoryName(path)!, "tokenizer_config.json"));
            int? Id(string? token) => token is not null && added.TryGetValue(token, out var id) ? id : token is not null && vocabulary.TryGetValue(token, out var v) ? v : null;
            var eos = new[] { config.Eos, "<|im_end|>", "<|endoftext|>" }.Select(Id).OfType<int>().Distinct().ToArray();
            return new TextTokenizer(bpe, added, nfc, eos, Id(config.Pad) ?? Id("<|endoftext|>"));
        }
    }

    private static bool IsByteLevel(JsonElement root) =>
        root.TryGetProperty("decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object
        && decoder.TryGetProperty("type", out var type) && type.GetString() == "ByteLevel";

    /// <summary>The split regex of the pre-tokenizer: a Split step (alone or in a Sequence), or GPT-2's when ByteLevel uses its own.</summary>
    private static string SplitPattern(JsonElement root, Func<string, InvalidDataException> fail)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
            throw fail("field 'pre_tokenizer' is missing");
        var steps = pre.GetProperty("type").GetString() == "Sequence" ? pre.GetProperty("pretokenizers").EnumerateArray().ToList() : [pre];
        foreach (var step in steps)
        {
            var type = step.GetProperty("type").GetString();
            if (type == "Split" && step.TryGetProperty("pattern", out var pattern) && pattern.TryGetProperty("Regex", out var regex))
                return regex.GetString()!;
            if (type == "ByteLevel" && step.TryGetProperty("use_regex", out var useRegex) && useRegex.GetBoolean())
                return Gpt2Pattern;
        }
        throw fail("field 'pre_tokenizer' has no Split regex (nor a ByteLevel step with use_regex)");
    }

    private static (string? Eos, string? Pad) ReadConfig(string path)
    {
        if (!File.Exists(path))
            return (null, null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return (TokenText(document.RootElement, "eos_token"), TokenText(document.RootElement, "pad_token"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }

        static string? TokenText(JsonElement root, string field) =>
            !root.TryGetProperty(field, out var value) ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) ? content.GetString()
            : null;
    }
}
