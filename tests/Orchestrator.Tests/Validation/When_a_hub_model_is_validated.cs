using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.Orchestrator.Tests.Validation;

public sealed class When_a_hub_model_is_validated : ValidatorTest
{
    public When_a_hub_model_is_validated() : base("validation-hub")
    {
        var store = new FileSystemArtifactStore(Path.Combine(Folder.Path, "store"));
        var snapshot = Path.Combine(Folder.Path, "hub", "models--org--tiny", "snapshots", "rev1");
        Directory.CreateDirectory(snapshot);
        File.WriteAllText(Path.Combine(snapshot, "config.json"), "{}");
        Directory.CreateDirectory(Path.Combine(Folder.Path, "outside"));
        File.WriteAllText(Path.Combine(Folder.Path, "outside", "config.json"), "{}");
        var locator = new ModelLocator(store, Options.Create(new ModelCacheOptions
        {
            CacheRoot = Path.Combine(Folder.Path, "cache"),
            HubCache = Path.Combine(Folder.Path, "hub"),
        }), NullLogger<ModelLocator>.Instance);
        Validator = ValidatorOver(store, locator);
    }

    [Fact]
    public async Task An_hf_id_in_the_cache_is_accepted()
    {
        Assert.Empty(await Validator.ValidateAsync(new StartPruningRun { RunId = "hub", BaseModel = "hf:org/tiny@rev1" }, CancellationToken.None));
    }

    [Theory]
    [InlineData("hf:org/missing", "not in the Hugging Face hub cache")]
    [InlineData("hf:org/tiny@v2", "revision 'v2'")]
    [InlineData("hf:bad", "hf:org/name")]
    public async Task A_bad_hf_id_is_rejected_with_a_named_reason(string model, string reason)
    {
        var reasons = await Validator.ValidateAsync(new StartPruningRun { RunId = "hub", BaseModel = model }, CancellationToken.None);

        var only = Assert.Single(reasons);
        Assert.StartsWith("baseModel: ", only);
        Assert.Contains(reason, only);
    }

    [Fact]
    public async Task A_local_folder_outside_the_allowed_roots_is_rejected()
    {
        var reasons = await Validator.ValidateAsync(new StartPruningRun { RunId = "hub", BaseModel = Path.Combine(Folder.Path, "outside") }, CancellationToken.None);

        Assert.Contains("outside the allowed model roots", Assert.Single(reasons));
    }
}
