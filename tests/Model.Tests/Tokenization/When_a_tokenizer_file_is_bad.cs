namespace PrunerPipeline.Model.Tests.Tokenization;

public class When_a_tokenizer_file_is_bad
{
    [Fact]
    public void Malformed_json_names_the_file()
    {
        using var folder = new TemporaryFolder("tok");
        var path = Path.Combine(folder.Path, "tokenizer.json");
        File.WriteAllText(path, "{\"model\": ");
        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_tokenizer_that_is_not_byte_level_bpe_names_the_field()
    {
        using var folder = new TemporaryFolder("tok");
        var path = Path.Combine(folder.Path, "tokenizer.json");
        File.WriteAllText(path, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(folder.Path));
        Assert.Contains("model.type", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var folder = new TemporaryFolder("tok");
        var error = Assert.Throws<FileNotFoundException>(() => TextTokenizer.Load(folder.Path));
        Assert.Contains("tokenizer.json", error.Message);
    }
}
