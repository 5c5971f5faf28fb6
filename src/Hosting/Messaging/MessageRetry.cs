using MassTransit;

namespace PrunerPipeline.Hosting.Messaging;

/// <summary>
/// The retry policy every endpoint gets: a few exponential back-off retries for transient failures (a blob store or
/// broker hiccup), none for input that can never succeed, then the message moves to the endpoint's <c>_error</c> queue
/// with the exception in its headers, and a <c>Fault&lt;T&gt;</c> is published so the run saga can fault the run.
/// </summary>
public static class MessageRetry
{
    public static void UsePrunerRetry(this IConsumePipeConfigurator configurator, BusOptions options)
    {
        configurator.UseMessageRetry(retry =>
        {
            var min = TimeSpan.FromMilliseconds(options.RetryMinIntervalMilliseconds);
            var max = TimeSpan.FromMilliseconds(Math.Max(options.RetryMinIntervalMilliseconds, options.RetryMaxIntervalMilliseconds));
            retry.Exponential(options.RetryLimit, min, max, min);
            // Bad input stays bad: retrying would only delay the fault.
            retry.Ignore<ArgumentException>();
            retry.Ignore<FormatException>();
            retry.Ignore<System.Text.Json.JsonException>();
            retry.Ignore<InvalidDataException>();
            // A NaN loss comes back on every retry of the same step.
            retry.Ignore<NotFiniteNumberException>();
        });
    }
}
