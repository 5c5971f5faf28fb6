using System.Text.Json;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>The `pruner bench` commands print one JSON line with the documented fields (tiny sizes: shape, not speed).</summary>
public sealed class When_running_the_bench_commands
{
    private static readonly string Fixture = Path.Combine(RepositoryRoot.Find(), "..", "shared", "fixtures", "qwen2-tiny");

    [Fact]
    public void Generate_reports_tokens_per_second_for_the_requested_shape()
    {
        var line = Pruner("bench", "generate", "--model", Fixture, "--batch", "2", "--new-tokens", "5", "--prompt-len", "3", "--threads", "1");
        Assert.Equal(2, line.GetProperty("batch").GetInt32());
        Assert.Equal(5, line.GetProperty("new_tokens").GetInt32());
        Assert.Equal(3, line.GetProperty("prompt_len").GetInt32());
        Assert.Equal(1, line.GetProperty("threads").GetInt32());
        Assert.True(line.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.True(line.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal("managed", line.GetProperty("engine").GetString());
    }

    [Theory]
    [InlineData("torch", false, "torch")]
    [InlineData("managed", false, "managed")]
    [InlineData("auto", true, "torch")]
    public void Generate_reports_which_engine_decoded(string engine, bool noCache, string expected)
    {
        string[] arguments = ["bench", "generate", "--model", Fixture, "--batch", "2", "--new-tokens", "4", "--prompt-len", "3", "--threads", "1", "--engine", engine];
        var line = Pruner(noCache ? [.. arguments, "--no-cache"] : arguments);
        Assert.Equal(expected, line.GetProperty("engine").GetString());
        Assert.Equal(!noCache, line.GetProperty("kv_cache").GetBoolean());
        Assert.True(line.GetProperty("tokens_per_second").GetDouble() > 0);
    }

    [Fact]
    public void Generate_rejects_an_unknown_engine()
    {
        var (code, _, error) = Run("bench", "generate", "--model", Fixture, "--batch", "1", "--new-tokens", "1", "--prompt-len", "1", "--engine", "cuda");
        Assert.NotEqual(0, code);
        Assert.Contains("'cuda'", error);
        Assert.Contains("'managed'", error);
    }

    [Theory]
    [InlineData("--batch", "0", "--batch: must be at least 1")]
    [InlineData("--prompt-len", "-3", "--prompt-len: must be at least 1")]
    public void A_count_below_its_minimum_is_rejected_naming_the_option(string option, string value, string message)
    {
        string[] arguments = ["bench", "generate", "--model", Fixture, "--batch", "1", "--new-tokens", "1", "--prompt-len", "1"];
        var index = Array.IndexOf(arguments, option);
        arguments[index + 1] = value;
        var (code, _, error) = Run(arguments);
        Assert.NotEqual(0, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Train_reports_throughput_memory_and_mfu()
    {
        var line = Pruner("bench", "train", "--model", Fixture, "--batch", "2", "--seq-len", "16", "--steps", "2");
        Assert.True(line.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.True(line.GetProperty("peak_memory_mb").GetDouble() > 0);
        Assert.InRange(line.GetProperty("mfu").GetDouble(), 1e-6, 1.0);
    }

    [Fact]
    public void Make_model_writes_a_loadable_checkpoint_and_logprobs_runs_on_it()
    {
        using var folder = new TemporaryFolder("bench-model");
        var made = Pruner("bench", "make-model", "--output", folder.Path, "--hidden", "32", "--layers", "2", "--heads", "4", "--kv-heads", "2", "--intermediate", "64", "--vocab", "100");
        Assert.True(made.GetProperty("parameters").GetInt64() > 0);
        var line = Pruner("bench", "logprobs", "--model", folder.Path, "--batch", "2", "--seq-len", "12");
        Assert.True(line.GetProperty("tokens_per_second").GetDouble() > 0);
    }

    [Fact]
    public void Matmul_reports_the_peak_and_the_read_bandwidth()
    {
        var line = Pruner("bench", "matmul", "--threads", "1");
        Assert.True(line.GetProperty("matmul_gflops").GetDouble() > 0);
        Assert.True(line.GetProperty("read_bandwidth_gbps").GetDouble() > 0);
        Assert.Equal(1, line.GetProperty("threads").GetInt32());
    }

    [Fact]
    public void Memory_reports_resident_memory_before_and_after_the_calls()
    {
        var line = Pruner("bench", "memory", "--model", Fixture, "--calls", "3");
        Assert.Equal(3, line.GetProperty("calls").GetInt32());
        Assert.Equal("managed", line.GetProperty("engine").GetString());
        var (warm, end) = (line.GetProperty("rss_after_warmup_mb").GetDouble(), line.GetProperty("rss_end_mb").GetDouble());
        Assert.True(warm > 0 && end > 0);
        Assert.Equal(end - warm, line.GetProperty("growth_mb").GetDouble(), 6);
    }

    [Fact]
    public void Profile_splits_a_decode_step_into_weight_matmuls_and_the_rest()
    {
        var line = Pruner("bench", "profile", "--model", Fixture, "--batch", "2", "--threads", "1");
        var (step, matmul) = (line.GetProperty("step_ms").GetDouble(), line.GetProperty("matmul_ms").GetDouble());
        Assert.True(step > 0 && matmul > 0);
        Assert.Equal(matmul / step, line.GetProperty("matmul_share").GetDouble(), 6);
        // The fixture: 3 layers × 7 projections + untied LM head.
        Assert.Equal(22, line.GetProperty("weight_matrices").GetInt32());
        Assert.True(line.GetProperty("tiny_op_us").GetDouble() > 0);
    }

    [Fact]
    public void A_missing_model_folder_is_named_and_exits_non_zero()
    {
        var (code, _, error) = Run("bench", "generate", "--model", "/no/such/folder", "--batch", "1", "--new-tokens", "1", "--prompt-len", "1");
        Assert.NotEqual(0, code);
        Assert.Contains("--model", error);
    }

    private static JsonElement Pruner(params string[] arguments)
    {
        var (code, output, error) = Run(arguments);
        Assert.True(code == 0, $"exit {code}: {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }

    private static (int Code, string Output, string Error) Run(params string[] arguments) => PrunerCli.Run(arguments);
}
