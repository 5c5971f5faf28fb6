using System.Text.Json;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>Every way a --model can miss ends in one line on stderr naming what was looked for, exit 2, no stack trace.</summary>
public sealed class When_the_cli_is_given_a_model_it_cannot_find : IDisposable
{
    private readonly TemporaryFolder hub = new("cli-hub");

    public static TheoryData<string[], string> Misses => new()
    {
        { ["generate", "--model", "hf:nobody/nothing", "--prompt", "hi"], "models--nobody--nothing" },
        { ["generate", "--model", "hf:not-an-id", "--prompt", "hi"], "hf:org/name" },
        { ["generate", "--model", "/no/such/model/folder", "--prompt", "hi"], "/no/such/model/folder" },
        { ["probe", "--model", "runs/none/checkpoints/step-000001", "--input", "/dev/null", "--output", "/dev/null"], "runs/none/checkpoints/step-000001" },
        { ["bench", "generate", "--model", "hf:nobody/nothing", "--batch", "1", "--new-tokens", "1", "--prompt-len", "1"], "models--nobody--nothing" },
        { ["plan", "--model", "hf:nobody/nothing"], "models--nobody--nothing" },
    };

    [Theory]
    [MemberData(nameof(Misses))]
    public void It_prints_one_line_and_exits_2(string[] arguments, string named)
    {
        var (code, _, error) = Run(arguments);

        Assert.Equal(2, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(named, lines[0]);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_broken_snapshot_link_is_named_not_thrown()
    {
        var snapshot = Path.Combine(hub.Path, "models--org--broken", "snapshots", "abc");
        Directory.CreateDirectory(snapshot);
        var fixture = Path.Combine(RepositoryRoot.Find(), "..", "shared", "fixtures", "qwen2-tiny");
        File.Copy(Path.Combine(fixture, "config.json"), Path.Combine(snapshot, "config.json"));
        File.CreateSymbolicLink(Path.Combine(snapshot, "model.safetensors"), Path.Combine("..", "..", "blobs", "missing"));

        var (code, _, error) = Run("probe", "--model", "hf:org/broken@abc", "--input", Path.Combine(fixture, "expected.json"), "--output", Path.Combine(hub.Path, "out.json"));

        Assert.NotEqual(0, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("model.safetensors", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Plan_on_paper_prints_every_service_as_json()
    {
        var (code, output, error) = Run("plan", "--shape", "qwen2.5-7b", "--device", "cuda", "--memory-gb", "80", "--adapter", "lora:16", "--json");

        Assert.True(code == 0, error);
        var plan = JsonDocument.Parse(output).RootElement;
        Assert.Equal(7_615_616_512, plan.GetProperty("parameters").GetInt64());
        Assert.Equal(["rollouts", "trainer", "evaluation"], plan.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()));
        Assert.All(plan.GetProperty("services").EnumerateArray(), s => Assert.True(s.GetProperty("peak_bytes").GetInt64() > 15_000_000_000));
    }

    private (int Code, string Output, string Error) Run(params string[] arguments) => PrunerCli.Run(new Dictionary<string, string> { ["HF_HUB_CACHE"] = hub.Path }, arguments);

    public void Dispose() => hub.Dispose();
}
