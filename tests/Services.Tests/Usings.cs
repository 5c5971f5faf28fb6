global using MassTransit;
global using PrunerPipeline.Contracts;
global using PrunerPipeline.Hosting.Artifacts;
global using PrunerPipeline.TestSupport;
global using Xunit;
