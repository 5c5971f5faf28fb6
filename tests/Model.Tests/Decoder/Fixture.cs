using System.Text.Json.Nodes;

namespace PrunerPipeline.Model.Tests.Decoder;

/// <summary>The shared qwen2-tiny parity fixture: its folder, its expected outputs, and helpers to compare with them.</summary>
public static class Fixture
{
    public static string Folder => Path.Combine(RepositoryRoot.Find(), "..", "shared", "fixtures", "qwen2-tiny");

    /// <summary>Copies the fixture's files into <paramref name="folder"/>, writable (for tests that damage them).</summary>
    public static void CopyTo(string folder)
    {
        foreach (var file in Directory.GetFiles(Folder))
        {
            var copy = Path.Combine(folder, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetAttributes(copy, FileAttributes.Normal);
        }
    }

    public static JsonObject Expected() => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")))!.AsObject();

    public static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static int[] Ints(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<int>()).ToArray();

    /// <summary>Asserts that our probe of <paramref name="model"/> matches the fixture's expected values within its tolerances.</summary>
    public static void AssertParity(CausalLM model, double logitTolerance = 1e-4, double relativeSumTolerance = 1e-5)
    {
        var expected = Expected();
        var actual = ModelProbe.Run(model, expected);
        var expectedSequences = expected["sequences"]!.AsArray();
        var actualSequences = actual["sequences"]!.AsArray();
        Assert.Equal(expectedSequences.Count, actualSequences.Count);
        for (var i = 0; i < expectedSequences.Count; i++)
        {
            var e = expectedSequences[i]!;
            var a = actualSequences[i]!;
            AssertClose(Doubles(e["first_logits"]), Doubles(a["first_logits"]), logitTolerance, $"sequence {i} first_logits");
            AssertClose(Doubles(e["last_logits"]), Doubles(a["last_logits"]), logitTolerance, $"sequence {i} last_logits");
            AssertClose(Doubles(e["next_token_logprobs"]), Doubles(a["next_token_logprobs"]), logitTolerance, $"sequence {i} next_token_logprobs");
            Assert.Equal(Ints(e["argmax"]), Ints(a["argmax"]));
            foreach (var field in new[] { "logits_sum", "logits_sumsq" })
            {
                var x = e[field]!.GetValue<double>();
                var y = a[field]!.GetValue<double>();
                Assert.True(Math.Abs(x - y) <= relativeSumTolerance * Math.Max(1.0, Math.Abs(x)), $"sequence {i} {field}: expected {x}, got {y}");
            }
        }
        Assert.Equal(Ints(expected["greedy"]!["ids"]), Ints(actual["greedy"]!["ids"]));
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (x, y) => Math.Abs(x - y)).DefaultIfEmpty(0).Max();
        Assert.True(worst <= tolerance, $"{what}: max abs difference {worst:G3} > {tolerance:G3}");
    }
}
