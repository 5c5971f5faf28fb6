namespace PrunerPipeline.Cli.Commands;

/// <summary>Options shared by run, status and cancel.</summary>
internal static class CliOptions
{
    public static readonly string[] Transports = ["inmemory", "rabbitmq"];

    public static Option<string?> Bus()
    {
        var option = new Option<string?>("--bus")
        {
            Description = "Message bus: inmemory (run everything in this process) or rabbitmq (a distributed pipeline; " +
                "Bus__Host, Bus__Username, Bus__Password from the environment). Default: Bus__Transport, else inmemory.",
        };
        option.AcceptOnlyFromAmong(Transports);
        return option;
    }

    public static Option<string> Store() => new("--store")
    {
        Description = "Artifact-store folder for the embedded (inmemory) pipeline.",
        DefaultValueFactory = _ => "./.pruner/store",
    };

    public static Option<bool> Verbose() => new("--verbose") { Description = "Show the services' log output." };

    /// <summary>The --bus value, else the environment's Bus__Transport, else inmemory.</summary>
    public static string TransportOf(string? option) =>
        option ?? CliConfiguration.Transport?.ToLowerInvariant() switch
        {
            "rabbitmq" => "rabbitmq",
            _ => "inmemory",
        };
}
