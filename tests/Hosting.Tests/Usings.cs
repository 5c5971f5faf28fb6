global using Microsoft.Extensions.DependencyInjection;
global using PrunerPipeline.Hosting.Artifacts;
global using PrunerPipeline.TestSupport;
global using Xunit;
