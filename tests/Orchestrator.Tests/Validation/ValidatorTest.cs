using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Orchestrator.Validation;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Orchestrator.Tests.Validation;

/// <summary>
/// What the validation tests share: a temporary folder for the store (and a hub cache), and a validator with the
/// default methods over synthetic problems.
/// </summary>
public abstract class ValidatorTest(string folderName) : IDisposable
{
    protected TemporaryFolder Folder { get; } = new(folderName);

    protected RunValidator Validator { get; init; } = null!;

    protected static RunValidator ValidatorOver(IArtifactStore store, ModelLocator? models = null, int syntheticProblems = 50) =>
        new(new FakeProblemSource(syntheticProblems), store, MethodRegistry.Default, models);

    public void Dispose() => Folder.Dispose();
}
