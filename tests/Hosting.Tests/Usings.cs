global using MassTransit;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Hosting;
global using PrunerPipeline.Contracts;
global using PrunerPipeline.Hosting.Artifacts;
global using PrunerPipeline.TestSupport;
global using Xunit;
