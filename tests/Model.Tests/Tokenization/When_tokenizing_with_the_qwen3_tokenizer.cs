using System.Text.Json.Nodes;

namespace PrunerPipeline.Model.Tests.Tokenization;

public class When_tokenizing_with_the_qwen3_tokenizer
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Find(), "..", "shared", "tokenizers", "qwen3");

    private static IEnumerable<(int Line, string Text, int[] Ids, string Decoded)> Golden() =>
        File.ReadAllText(Path.Combine(Folder, "golden.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select((line, i) =>
            {
                var node = JsonNode.Parse(line)!;
                return (i + 1, node["text"]!.GetValue<string>(), node["ids"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray(), node["decoded"]!.GetValue<string>());
            });

    [Fact]
    public void Every_golden_line_encodes_to_the_hugging_face_ids_and_decodes_back()
    {
        var tokenizer = TextTokenizer.Load(Folder);
        var mismatches = new List<string>();
        var lines = 0;
        foreach (var (line, text, ids, decoded) in Golden())
        {
            lines++;
            var actual = tokenizer.Encode(text);
            if (!actual.SequenceEqual(ids))
                mismatches.Add($"line {line}: encode {text[..Math.Min(40, text.Length)]}… gave [{string.Join(",", actual.Take(12))}…] expected [{string.Join(",", ids.Take(12))}…]");
            if (tokenizer.Decode(ids) != decoded)
                mismatches.Add($"line {line}: decode differs");
        }
        Assert.Equal(434, lines);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches:\n{string.Join("\n", mismatches.Take(10))}");
    }

    [Fact]
    public void Special_tokens_in_the_text_become_single_ids_and_survive_decoding()
    {
        var tokenizer = TextTokenizer.Load(Folder);
        var text = ChatTemplate.Render("You are helpful.", "What is 2+2?");
        var ids = tokenizer.Encode(text);
        Assert.Equal(151644, ids[0]);
        Assert.Equal(3, ids.Count(id => id == 151644));
        Assert.Equal(2, ids.Count(id => id == 151645));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Ids_and_sizes_come_from_the_files()
    {
        var tokenizer = TextTokenizer.Load(Path.Combine(Folder, "tokenizer.json"));
        Assert.Equal(151645, tokenizer.TokenId("<|im_end|>"));
        Assert.Equal(151669, tokenizer.VocabularySize);
        Assert.Contains(151645, tokenizer.EosTokenIds);
        Assert.Contains(151643, tokenizer.EosTokenIds);
        Assert.Equal(151643, tokenizer.PadTokenId);
        Assert.Null(tokenizer.TokenId("no-such-token-here"));
    }

    [Fact]
    public void The_chat_template_renders_chatml_like_the_qwen3_jinja_template()
    {
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render(null, "Hi"));
        Assert.Equal("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
            ChatTemplate.Render("S", "Hi", enableThinking: false));
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n", ChatTemplate.Render(null, "Hi", addGenerationPrompt: false));
        // The template's own pieces, to catch a drift between our rendering and the file.
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "tokenizer_config.json")))!["chat_template"]!.GetValue<string>();
        Assert.Contains("'<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n'", template);
        Assert.Contains("'<|im_start|>assistant\\n'", template);
        Assert.Contains("'<think>\\n\\n</think>\\n\\n'", template);
    }
}
