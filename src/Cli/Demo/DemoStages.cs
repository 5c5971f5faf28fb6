using Microsoft.Extensions.DependencyInjection;
using PrunerPipeline.EvalService.Reports;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.Cli.Demo;

/// <summary>The demo's stages before the runs: the built-in model and the length-disharmony pilot.</summary>
internal static class DemoStages
{
    public static async Task EnsureBuiltinModelAsync(IServiceProvider services, DemoSettings settings, IStageProgress progress, List<string> notes, CancellationToken ct)
    {
        var store = services.GetRequiredService<IArtifactStore>();
        if (!await store.ExistsAsync($"{ModelLocator.BuiltinPrefix}/config.json", ct))
        {
            throw new DemoStageFailedException("built-in model", $"no built-in model in {Path.GetFullPath(settings.StoreRoot)}/{ModelLocator.BuiltinPrefix}");
        }
        progress.Complete("built-in model", "cached");
    }

    public static Task<PilotSummary?> RunPilotAsync(IServiceProvider services, DemoSettings settings, IStageProgress progress, List<string> notes, CancellationToken ct)
    {
        notes.Add("The length-disharmony pilot was not run.");
        return Task.FromResult<PilotSummary?>(null);
    }
}
