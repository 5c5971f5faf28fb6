using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PrunerPipeline.Orchestrator.Deadlines;

/// <summary>
/// Once the host has started (the bus is up): re-drives every unfinished run (<c>Orchestrator:Deadlines:RedriveOnStartup</c>),
/// then every <c>CheckIntervalSeconds</c> those past their stage deadline. A failed look (the blob store is down) is
/// logged in one line and tried again at the next interval.
/// </summary>
public sealed class StalledRunMonitor(StalledRuns runs, IServiceProvider services, IOptions<RunDeadlineOptions> options, ILogger<StalledRunMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Problem() is { } problem)
        {
            logger.LogError("Stage deadlines off: {Problem}", problem);
            return;
        }
        try
        {
            // A host signals when every hosted service (the bus among them) has started; without one (a test harness) start now.
            if (services.GetService(typeof(IHostApplicationLifetime)) is IHostApplicationLifetime lifetime)
            {
                await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(stoppingToken);
            }
            var onStartup = options.Value.RedriveOnStartup;
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds));
            do
            {
                try
                {
                    await runs.CheckAsync(onStartup, stoppingToken);
                    onStartup = false;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Looking for stalled runs failed, trying again in {Seconds} s: {Problem}", options.Value.CheckIntervalSeconds, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
