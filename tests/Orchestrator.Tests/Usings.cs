global using MassTransit.Testing;
global using PrunerPipeline.Contracts;
global using PrunerPipeline.Orchestrator.Tests.Fakes;
global using Xunit;
