using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Cli.Embedded;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>
/// How a CLI command stops its host (<see cref="HostStopping"/>): within the limit, and without the host logging an
/// OperationCanceledException's stack trace. Before, the stop token was cancelled at the limit; a service (MassTransit)
/// still stopping then threw, and the host logged the exception with its stack trace ("   at ...") — the flaky
/// <c>--timeout</c> test.
/// </summary>
public sealed class When_a_pipeline_host_stops
{
    [Fact]
    public async Task A_host_that_stops_within_the_limit_stops_cleanly()
    {
        var logs = new LogEntries();
        using var host = Build(logs, TimeSpan.FromMilliseconds(600));
        await host.StartAsync();

        Assert.True(await host.StopWithinAsync(TimeSpan.FromSeconds(2)));
        Assert.Empty(logs.WithExceptions);
    }

    [Fact]
    public async Task A_host_still_stopping_at_the_limit_is_abandoned_without_a_stack_trace()
    {
        var logs = new LogEntries();
        // The host's own stop takes 6 s against a 1 s limit: returning well before it ends shows the stop was
        // abandoned at the limit. (With a 1.5 s stop and a 1.4 s bound, a loaded CI machine measured 1.84 s.)
        var host = Build(logs, TimeSpan.FromSeconds(6));
        await host.StartAsync();

        var watch = Stopwatch.StartNew();
        Assert.False(await host.StopWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 4.5);

        // The abandoned stop goes on in the background; when it ends, nothing has thrown or been logged with an exception.
        await Task.Delay(TimeSpan.FromSeconds(6) - watch.Elapsed + TimeSpan.FromSeconds(0.5));
        Assert.Empty(logs.WithExceptions);
        host.Dispose();
    }

    private static IHost Build(LogEntries logs, TimeSpan stopTakes)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "stop-test" });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        builder.Services.AddHostedService(_ => new SlowToStop(stopTakes));
        return builder.Build();
    }

    /// <summary>Stops in a given time and, like MassTransit's bus, gives up with an OperationCanceledException if its token was cancelled meanwhile.</summary>
    private sealed class SlowToStop(TimeSpan stopTakes) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(stopTakes, CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private sealed class LogEntries : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> withExceptions = new();

        public IReadOnlyList<string> WithExceptions => [.. withExceptions];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogEntries entries, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (exception is not null)
                {
                    entries.withExceptions.Enqueue($"{category}: {formatter(state, exception)}: {exception}");
                }
            }
        }
    }
}
