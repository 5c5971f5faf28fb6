global using MassTransit;
global using MassTransit.Testing;
global using PrunerPipeline.Contracts;
global using PrunerPipeline.Hosting.Artifacts;
global using PrunerPipeline.Orchestrator.Tests.Fakes;
global using PrunerPipeline.TestSupport;
global using Xunit;
