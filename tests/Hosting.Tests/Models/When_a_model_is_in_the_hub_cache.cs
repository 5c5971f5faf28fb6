using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.Hosting.Tests.Models;

/// <summary>
/// The shared qwen2-tiny fixture laid out as huggingface_hub lays out its cache (blobs named by SHA-256, snapshot files
/// as relative links into ../../blobs, refs/main naming the revision), resolved offline in every accepted form.
/// </summary>
public sealed class When_a_model_is_in_the_hub_cache : IDisposable
{
    private const string Revision = "0123456789abcdef0123456789abcdef01234567";
    private readonly TemporaryFolder temp = new("hub");
    private readonly string hub;
    private readonly string repo;
    private readonly string snapshot;
    private static readonly CancellationToken None = CancellationToken.None;

    public When_a_model_is_in_the_hub_cache()
    {
        hub = Path.Combine(temp.Path, "hub");
        repo = Path.Combine(hub, "models--tiny-org--qwen2-tiny");
        snapshot = Path.Combine(repo, "snapshots", Revision);
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        Directory.CreateDirectory(snapshot);
        var fixture = Path.Combine(RepositoryRoot.Find(), "..", "shared", "fixtures", "qwen2-tiny");
        foreach (var file in new[] { "config.json", "model.safetensors" })
        {
            var blob = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(fixture, file))));
            File.Copy(Path.Combine(fixture, file), Path.Combine(repo, "blobs", blob));
            File.CreateSymbolicLink(Path.Combine(snapshot, file), Path.Combine("..", "..", "blobs", blob));
        }
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), Revision + "\n");
    }

    [Fact]
    public async Task An_hf_id_resolves_to_the_snapshot_refs_main_names()
    {
        Assert.Equal(snapshot, await Locator().ResolveAsync("hf:tiny-org/qwen2-tiny", None));
    }

    [Fact]
    public async Task An_hf_id_with_a_revision_resolves_to_that_snapshot()
    {
        Assert.Equal(snapshot, await Locator().ResolveAsync($"hf:tiny-org/qwen2-tiny@{Revision}", None));
    }

    [Fact]
    public async Task An_hf_id_with_a_branch_resolves_through_its_ref()
    {
        File.WriteAllText(Path.Combine(repo, "refs", "v1"), Revision);

        Assert.Equal(snapshot, await Locator().ResolveAsync("hf:tiny-org/qwen2-tiny@v1", None));
    }

    [Fact]
    public async Task A_repo_folder_resolves_to_its_main_snapshot()
    {
        Assert.Equal(snapshot, await Locator().ResolveAsync(repo, None));
    }

    [Fact]
    public async Task A_repo_folder_without_refs_resolves_to_its_only_snapshot()
    {
        File.Delete(Path.Combine(repo, "refs", "main"));

        Assert.Equal(snapshot, await Locator().ResolveAsync(repo, None));
    }

    [Fact]
    public async Task A_symlinked_snapshot_folder_is_used_as_is()
    {
        Assert.Equal(snapshot, await Locator().ResolveAsync(snapshot, None));
    }

    [Fact]
    public void Hf_ids_follow_HF_HUB_CACHE_then_HF_HOME()
    {
        var (hubCache, home) = (Environment.GetEnvironmentVariable("HF_HUB_CACHE"), Environment.GetEnvironmentVariable("HF_HOME"));
        try
        {
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", null);
            Environment.SetEnvironmentVariable("HF_HOME", temp.Path);
            Assert.Equal(snapshot, ModelLocator.ResolveLocal("hf:tiny-org/qwen2-tiny"));
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", hub);
            Environment.SetEnvironmentVariable("HF_HOME", Path.Combine(temp.Path, "elsewhere"));
            Assert.Equal(snapshot, ModelLocator.ResolveLocal("hf:tiny-org/qwen2-tiny"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", hubCache);
            Environment.SetEnvironmentVariable("HF_HOME", home);
        }
    }

    [Fact]
    public async Task A_model_not_in_the_cache_names_the_folder_it_looked_for()
    {
        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Locator().ResolveAsync("hf:tiny-org/other", None));

        Assert.Contains(Path.Combine(hub, "models--tiny-org--other"), error.Message);
        Assert.Contains("nothing is downloaded", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public async Task An_unknown_revision_lists_the_snapshots_there_are()
    {
        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Locator().ResolveAsync("hf:tiny-org/qwen2-tiny@v9", None));

        Assert.Contains("revision 'v9'", error.Message);
        Assert.Contains(Revision, error.Message);
    }

    [Fact]
    public async Task A_malformed_id_says_what_an_id_looks_like()
    {
        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Locator().ResolveAsync("hf:no-slash", None));

        Assert.Contains("hf:org/name", error.Message);
    }

    [Fact]
    public async Task A_snapshot_without_config_json_is_called_incomplete()
    {
        File.Delete(Path.Combine(snapshot, "config.json"));

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Locator().ResolveAsync("hf:tiny-org/qwen2-tiny", None));

        Assert.Contains("holds no config.json", error.Message);
    }

    [Fact]
    public async Task A_repo_folder_with_several_snapshots_and_no_ref_asks_which()
    {
        File.Delete(Path.Combine(repo, "refs", "main"));
        Directory.CreateDirectory(Path.Combine(repo, "snapshots", "fedcba9876543210fedcba9876543210fedcba98"));

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Locator().ResolveAsync(repo, None));

        Assert.Contains("2 snapshots", error.Message);
    }

    [Fact]
    public async Task A_local_folder_outside_the_allowed_roots_is_refused()
    {
        var outside = Path.Combine(temp.Path, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "config.json"), "{}");
        var locator = Locator();

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => locator.ResolveAsync(outside, None));
        Assert.Contains("outside the allowed model roots", error.Message);
        Assert.NotNull(locator.Problem(outside));

        locator.AllowRoot(outside);
        Assert.Equal(outside, await locator.ResolveAsync(outside, None));
        Assert.Null(locator.Problem(outside));
    }

    [Fact]
    public async Task A_configured_allowed_root_admits_its_folders()
    {
        var outside = Path.Combine(temp.Path, "models", "mine");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "config.json"), "{}");

        Assert.Equal(outside, await Locator(allowedRoots: [Path.Combine(temp.Path, "models")]).ResolveAsync(outside, None));
    }

    private ModelLocator Locator(List<string>? allowedRoots = null) =>
        new(new FileSystemArtifactStore(Path.Combine(temp.Path, "store")),
            Options.Create(new ModelCacheOptions { CacheRoot = Path.Combine(temp.Path, "cache"), HubCache = hub, AllowedRoots = allowedRoots ?? [] }),
            NullLogger<ModelLocator>.Instance);

    public void Dispose() => temp.Dispose();
}
