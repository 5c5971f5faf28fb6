namespace PrunerPipeline.Services.Tests;

internal static class TestHarnessExtensions
{
    /// <summary>Waits until <paramref name="count"/> messages of type <typeparamref name="T"/> matching the filter have been published.</summary>
    public static async Task<List<T>> PublishedAsync<T>(this ITestHarness harness, int count, Func<T, bool>? filter = null)
        where T : class
    {
        using var timeout = new CancellationTokenSource(harness.TestTimeout);
        var found = new List<T>();
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
        throw new TimeoutException($"{found.Count} of {count} {typeof(T).Name} published within {harness.TestTimeout}");
    }
}
