using Microsoft.Extensions.Logging;

namespace PrunerPipeline.Services.Tests;

/// <summary>The harnesses' logger factory: writes nowhere, and one for the whole test run rather than one per harness.</summary>
internal static class SilentLogging
{
    public static readonly ILoggerFactory Factory = LoggerFactory.Create(_ => { });
}
