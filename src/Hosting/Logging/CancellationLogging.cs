using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace PrunerPipeline.Hosting.Logging;

/// <summary>
/// A stop is not a crash: a log entry whose exception is a cancellation (an <see cref="OperationCanceledException"/>,
/// alone or as the only kind inside an <see cref="AggregateException"/>) is written as one line — its message and
/// "cancelled: …" — without the stack trace. Whatever component logs it (a consumer cancelled at shutdown, MassTransit's
/// receive transport stopping, a hosted service), a cancelled embedded run or a SIGTERM'd worker then stops with
/// readable lines. Every other exception keeps its stack trace.
/// </summary>
public static class CancellationLogging
{
    /// <summary>Wraps the console logger provider registered so far (call after AddSimpleConsole / AddJsonConsole).</summary>
    public static ILoggingBuilder WriteCancellationsAsOneLine(this ILoggingBuilder logging)
    {
        var services = logging.Services;
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(ILoggerProvider) && descriptor.ImplementationType == typeof(ConsoleLoggerProvider))
            {
                services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(provider =>
                    OneLineCancellations(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(provider)));
            }
        }
        return logging;
    }

    /// <summary>A provider that writes through <paramref name="inner"/>, cancellations as one line.</summary>
    public static ILoggerProvider OneLineCancellations(ILoggerProvider inner) => new Provider(inner);

    /// <summary>True for a cancellation: what a stop throws, never a fault worth a stack trace.</summary>
    public static bool IsCancellation(Exception? exception) => exception switch
    {
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(e => e is OperationCanceledException),
        _ => false,
    };

    private sealed class Provider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider)
        {
            if (inner is ISupportExternalScope scoped)
            {
                scoped.SetScopeProvider(scopeProvider);
            }
        }

        public void Dispose() => inner.Dispose();
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsCancellation(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            var cancellation = exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : exception!;
            inner.Log(logLevel, eventId, state, null, (s, _) => $"{formatter(s, null)} (cancelled: {cancellation.Message})");
        }
    }
}
