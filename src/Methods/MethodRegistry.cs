using PrunerPipeline.Contracts;

namespace PrunerPipeline.Training.Methods;

/// <summary>
/// Every method the pipeline can run. <see cref="Default"/> holds the paper's four; a new method is one file deriving
/// from <see cref="PruningMethodDefinition"/> plus one line in <see cref="Default"/> (or, in a test or an extension,
/// <c>MethodRegistry.Default.With(new MyMethod())</c> registered before the services).
/// </summary>
public sealed class MethodRegistry
{
    private readonly IReadOnlyList<PruningMethodDefinition> methods;

    public MethodRegistry(IEnumerable<PruningMethodDefinition> methods)
    {
        this.methods = methods.ToList();
        var duplicate = this.methods.GroupBy(m => m.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Method key '{duplicate.Key}' is registered twice", nameof(methods));
        }
        if (this.methods.FirstOrDefault(m => m.Trains && !m.Samples) is { } trainsBlind)
        {
            throw new ArgumentException($"Method {trainsBlind.Key} trains without sampling: training needs the scored samples", nameof(methods));
        }
    }

    public static MethodRegistry Default { get; } = new(
    [
        new O1PrunerMethod(),
        new SftMethod(),
        new DpoMethod(),
        new FastPromptMethod(),
        new GrpoMethod(),
    ]);

    /// <summary>In registration order (the demo runs them in this order).</summary>
    public IReadOnlyList<PruningMethodDefinition> All => methods;

    /// <summary>The keys, comma-separated: the "allowed" part of an error message.</summary>
    public string Allowed => string.Join(", ", methods.Select(m => m.Key.Key));

    public PruningMethodDefinition? Find(PruningMethod key) => methods.FirstOrDefault(m => m.Key == key);

    /// <summary>The method, or an <see cref="ArgumentException"/> naming the allowed keys.</summary>
    public PruningMethodDefinition this[PruningMethod key] =>
        Find(key) ?? throw new ArgumentException($"method: '{key}' is unknown; allowed: {Allowed}", nameof(key));

    /// <summary>A registry with <paramref name="method"/> added after these.</summary>
    public MethodRegistry With(PruningMethodDefinition method) => new(methods.Append(method));
}
