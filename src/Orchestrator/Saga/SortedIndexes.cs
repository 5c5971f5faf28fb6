namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>The saga's lists of shard indexes and checkpoint steps: each value once, kept sorted (a redelivery adds nothing).</summary>
internal static class SortedIndexes
{
    public static void AddOnce(this List<int> set, int value)
    {
        if (!set.Contains(value))
        {
            set.Add(value);
            set.Sort();
        }
    }
}
