using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PrunerPipeline.Hosting.Logging;

namespace PrunerPipeline.Hosting.Tests.Logging;

public sealed class When_a_cancellation_is_logged
{
    [Fact]
    public void It_is_one_line_without_the_stack_trace()
    {
        var recorded = new Recorder();
        var logger = CancellationLogging.OneLineCancellations(recorded).CreateLogger("MassTransit.ReceiveTransport");

        logger.LogError(Thrown(new OperationCanceledException("The operation was canceled.")), "R-FAULT {Queue}", "generate-rollouts");
        logger.LogError(Thrown(new AggregateException(new TaskCanceledException("A task was canceled."))), "stop failed");

        Assert.Equal(["R-FAULT generate-rollouts (cancelled: The operation was canceled.)", "stop failed (cancelled: A task was canceled.)"], recorded.Messages);
        Assert.All(recorded.Exceptions, Assert.Null);
    }

    [Fact]
    public void Any_other_exception_keeps_its_stack_trace()
    {
        var recorded = new Recorder();
        var logger = CancellationLogging.OneLineCancellations(recorded).CreateLogger("x");
        var failure = Thrown(new InvalidOperationException("broken"));

        logger.LogError(failure, "R-FAULT {Queue}", "train-policy");
        logger.LogError(Thrown(new AggregateException(new OperationCanceledException(), new InvalidOperationException("also broken"))), "mixed");

        Assert.Equal(["R-FAULT train-policy", "mixed"], recorded.Messages);
        Assert.Same(failure, recorded.Exceptions[0]);
        Assert.IsType<AggregateException>(recorded.Exceptions[1]);
    }

    [Fact]
    public void The_console_provider_is_the_one_wrapped()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().WriteCancellationsAsOneLine());
        using var provider = services.BuildServiceProvider();

        var providers = provider.GetServices<ILoggerProvider>().ToList();
        Assert.DoesNotContain(providers, p => p is ConsoleLoggerProvider);
        Assert.Contains(providers, p => p.GetType().DeclaringType == typeof(CancellationLogging));
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private sealed class Recorder : ILoggerProvider, ILogger
    {
        public List<string> Messages { get; } = [];

        public List<Exception?> Exceptions { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Messages.Add(formatter(state, exception));
            Exceptions.Add(exception);
        }

        public void Dispose()
        {
        }
    }
}
