using System.Diagnostics;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>
/// `pruner run RUN.json` in embedded mode stops when told: its --timeout cancels the run, SIGTERM and SIGINT end it
/// within 5 s. (Before: "no end after 30 s" was printed and the process went on sampling for more than 10 minutes,
/// ignoring SIGTERM: System.CommandLine 2.0.0 did not handle the signal and the host's console lifetime swallowed it.)
/// The run is far too long to finish (256 problems × K 64), so only stopping ends it.
/// </summary>
public sealed class When_a_cli_command_is_told_to_stop : IAsyncLifetime
{
    private readonly TemporaryFolder folder = new("cli-stop");

    private string Store => Path.Combine(folder.Path, "store");

    private string RunFile => Path.Combine(folder.Path, "run.json");

    public async Task InitializeAsync()
    {
        await BuiltinModel.EnsureAsync(Path.Combine(Store, "models", "builtin"), BuiltinModelOptions.Tiny);
        await File.WriteAllTextAsync(RunFile, """{"runId": "endless", "trainingProblems": 256, "samplesPerProblem": 64, "maxNewTokens": 384, "shardSize": 64}""");
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Its_timeout_ends_the_embedded_run_and_the_process()
    {
        using var pruner = Start("run", RunFile, "--store", Store, "--timeout", "8");
        await pruner.WaitForOutputAsync("submitted run", TimeSpan.FromMinutes(2));
        var submitted = Stopwatch.StartNew();

        var exited = await pruner.WaitForExitAsync(TimeSpan.FromSeconds(8 + 10));

        Assert.True(exited, $"still running {submitted.Elapsed.TotalSeconds:F0} s after submitting with --timeout 8:\n{pruner.Output}");
        Assert.InRange(submitted.Elapsed.TotalSeconds, 7, 8 + 5 + 1);
        Assert.Equal(1, pruner.Process.ExitCode);
        Assert.Contains("no end after 8 s", pruner.Output);
        Assert.DoesNotContain("   at ", pruner.Output);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_ends_it_within_5_seconds(string signal)
    {
        using var pruner = Start("run", RunFile, "--store", Store);
        await pruner.WaitForOutputAsync("submitted run", TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(2));   // sampling is under way

        using (var kill = Process.Start("kill", [$"-{signal}", pruner.Process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }
        var signalled = Stopwatch.StartNew();
        var exited = await pruner.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.True(exited, $"still running 15 s after SIG{signal}:\n{pruner.Output}");
        // The limit is 5 s; the margin is for a loaded test machine's process teardown.
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(6), $"exited {signalled.Elapsed.TotalSeconds:F1} s after SIG{signal}");
        Assert.NotEqual(0, pruner.Process.ExitCode);
        Assert.DoesNotContain("   at ", pruner.Output);
    }

    private static PrunerProcess Start(params string[] arguments)
    {
        // One thread: the sampling keeps going without taking the whole (shared) machine.
        return new PrunerProcess(Process.Start(PrunerCli.StartInfo(PrunerCli.OneThread, arguments))!);
    }

    private sealed class PrunerProcess : IDisposable
    {
        private readonly System.Text.StringBuilder output = new();

        public PrunerProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        public async Task WaitForOutputAsync(string text, TimeSpan limit)
        {
            var deadline = DateTime.UtcNow + limit;
            while (!Output.Contains(text))
            {
                Assert.True(DateTime.UtcNow < deadline && !Process.HasExited, $"no '{text}' within {limit} (exited: {Process.HasExited}):\n{Output}");
                await Task.Delay(100);
            }
        }

        public async Task<bool> WaitForExitAsync(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await Process.WaitForExitAsync(timeout.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
