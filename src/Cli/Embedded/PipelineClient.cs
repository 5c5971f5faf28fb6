using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrunerPipeline.Hosting;

namespace PrunerPipeline.Cli.Embedded;

/// <summary>
/// A host with a bus connection and no consumers: what <c>pruner run/status/cancel</c> use to talk to a distributed
/// pipeline. Settings come from the environment (Bus__Host, Bus__Username, Bus__Password, Artifacts__*), as for the services.
/// </summary>
public static class PipelineClient
{
    public static IHost Build(string transport, bool verbose)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "pruner" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = transport,
            ["Logging:LogLevel:Default"] = verbose ? "Information" : "Warning",
        });
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        builder.AddPrunerDefaults();
        return builder.Build();
    }
}
