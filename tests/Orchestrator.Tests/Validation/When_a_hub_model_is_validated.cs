using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Orchestrator.Validation;
using PrunerPipeline.TestSupport;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Orchestrator.Tests.Validation;

public sealed class When_a_hub_model_is_validated : IDisposable
{
    private readonly TemporaryFolder folder = new("validation-hub");
    private readonly RunValidator validator;

    public When_a_hub_model_is_validated()
    {
        var store = new FileSystemArtifactStore(Path.Combine(folder.Path, "store"));
        var snapshot = Path.Combine(folder.Path, "hub", "models--org--tiny", "snapshots", "rev1");
        Directory.CreateDirectory(snapshot);
        File.WriteAllText(Path.Combine(snapshot, "config.json"), "{}");
        Directory.CreateDirectory(Path.Combine(folder.Path, "outside"));
        File.WriteAllText(Path.Combine(folder.Path, "outside", "config.json"), "{}");
        var locator = new ModelLocator(store, Options.Create(new ModelCacheOptions
        {
            CacheRoot = Path.Combine(folder.Path, "cache"),
            HubCache = Path.Combine(folder.Path, "hub"),
        }), NullLogger<ModelLocator>.Instance);
        validator = new RunValidator(new FakeProblemSource(syntheticProblems: 50), store, MethodRegistry.Default, locator);
    }

    [Fact]
    public async Task An_hf_id_in_the_cache_is_accepted()
    {
        Assert.Empty(await validator.ValidateAsync(new StartPruningRun { RunId = "hub", BaseModel = "hf:org/tiny@rev1" }, CancellationToken.None));
    }

    [Theory]
    [InlineData("hf:org/missing", "not in the Hugging Face hub cache")]
    [InlineData("hf:org/tiny@v2", "revision 'v2'")]
    [InlineData("hf:bad", "hf:org/name")]
    public async Task A_bad_hf_id_is_rejected_with_a_named_reason(string model, string reason)
    {
        var reasons = await validator.ValidateAsync(new StartPruningRun { RunId = "hub", BaseModel = model }, CancellationToken.None);

        var only = Assert.Single(reasons);
        Assert.StartsWith("baseModel: ", only);
        Assert.Contains(reason, only);
    }

    [Fact]
    public async Task A_local_folder_outside_the_allowed_roots_is_rejected()
    {
        var reasons = await validator.ValidateAsync(new StartPruningRun { RunId = "hub", BaseModel = Path.Combine(folder.Path, "outside") }, CancellationToken.None);

        Assert.Contains("outside the allowed model roots", Assert.Single(reasons));
    }

    public void Dispose() => folder.Dispose();
}
