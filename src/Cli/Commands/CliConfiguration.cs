using Microsoft.Extensions.Configuration;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// What the CLI's own commands (status, cancel, store, run's follower, the datasets of disharmony) read from outside the process: the same
/// environment the services read (<c>Bus__Transport</c>, <c>Artifacts__*</c>), through <see cref="IConfiguration"/>
/// and the services' own option classes, so defaults live in one place.
/// </summary>
internal static class CliConfiguration
{
    private static readonly Lazy<IConfiguration> Environment = new(() => new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public static IConfiguration Current => Environment.Value;

    public static string? Transport => Current["Bus:Transport"];

    /// <summary><c>Datasets:Root</c> (environment <c>Datasets__Root</c>), as the services read it; null = look for shared/datasets.</summary>
    public static string? DatasetsRoot => Current["Datasets:Root"];

    public static ArtifactStoreOptions ArtifactStore() =>
        Current.GetSection(ArtifactStoreOptions.Section).Get<ArtifactStoreOptions>() ?? new ArtifactStoreOptions();
}
