using System.Text.Json;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.Datasets.Tests;

public class When_building_the_synthetic_tokenizer
{
    private static readonly Lazy<JsonElement> Tokenizer = new(() =>
        JsonDocument.Parse(SyntheticTokenizer.Build(SyntheticTokenizer.DefaultCorpus(SyntheticTask.Default, 500))).RootElement);

    [Fact]
    public void It_has_the_shape_of_a_byte_level_bpe_tokenizer_json()
    {
        var root = Tokenizer.Value;
        var model = root.GetProperty("model");

        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
        var pre = root.GetProperty("pre_tokenizer").GetProperty("pretokenizers");
        Assert.Equal("Split", pre[0].GetProperty("type").GetString());
        Assert.Equal("ByteLevel", pre[1].GetProperty("type").GetString());
        Assert.False(pre[1].GetProperty("use_regex").GetBoolean());
    }

    [Fact]
    public void Ids_are_contiguous_and_special_tokens_follow_the_vocabulary()
    {
        var root = Tokenizer.Value;
        var vocabIds = root.GetProperty("model").GetProperty("vocab").EnumerateObject().Select(p => p.Value.GetInt32()).Order().ToList();
        var added = root.GetProperty("added_tokens").EnumerateArray().ToList();

        Assert.Equal(Enumerable.Range(0, vocabIds.Count), vocabIds);
        Assert.Equal(SyntheticTokenizer.SpecialTokens, added.Select(a => a.GetProperty("content").GetString()));
        Assert.Equal(Enumerable.Range(vocabIds.Count, added.Count), added.Select(a => a.GetProperty("id").GetInt32()));
        Assert.All(added, a => Assert.True(a.GetProperty("special").GetBoolean()));
    }

    [Fact]
    public void Merges_are_learned_but_never_join_digits()
    {
        var merges = Tokenizer.Value.GetProperty("model").GetProperty("merges").EnumerateArray()
            .Select(m => m[0].GetString() + m[1].GetString()).ToList();
        var vocab = Tokenizer.Value.GetProperty("model").GetProperty("vocab");

        Assert.InRange(merges.Count, 10, 300);
        Assert.Contains("check", merges);
        Assert.DoesNotContain(merges, m => m.Any(char.IsAsciiDigit));
        Assert.All(merges, m => Assert.True(vocab.TryGetProperty(m, out _)));
    }

    [Fact]
    public void Building_twice_gives_the_same_file()
    {
        var corpus = SyntheticTokenizer.DefaultCorpus(SyntheticTask.Default, 200).ToList();

        Assert.Equal(SyntheticTokenizer.Build(corpus), SyntheticTokenizer.Build(corpus));
    }
}
