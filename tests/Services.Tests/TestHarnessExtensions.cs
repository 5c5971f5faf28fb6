namespace PrunerPipeline.Services.Tests;

internal static class TestHarnessExtensions
{
    /// <summary>Waits until <paramref name="count"/> messages of type <typeparamref name="T"/> matching the filter have been published.</summary>
    /// <remarks>
    /// The harness's <c>SelectAsync</c> also ends once the bus has been idle for <c>TestInactivityTimeout</c> (1.2 s by
    /// default), and a consumer that works for a while between two messages (an evaluation on a loaded CI machine) is
    /// idle to the bus: the published list is looked at again until <c>TestTimeout</c> has passed.
    /// </remarks>
    public static async Task<List<T>> PublishedAsync<T>(this ITestHarness harness, int count, Func<T, bool>? filter = null)
        where T : class
    {
        using var timeout = new CancellationTokenSource(harness.TestTimeout);
        var found = new List<T>();
        while (!timeout.IsCancellationRequested)
        {
            found.Clear();
            try
            {
                await foreach (var message in harness.Published.SelectAsync<T>(timeout.Token))
                {
                    if (filter is null || filter(message.Context.Message))
                    {
                        found.Add(message.Context.Message);
                        if (found.Count == count)
                        {
                            return found;
                        }
                    }
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                break;
            }
        }
        throw new TimeoutException($"{found.Count} of {count} {typeof(T).Name} published within {harness.TestTimeout}");
    }
}
