global using System.CommandLine;
global using PrunerPipeline.Contracts;
global using PrunerPipeline.Hosting.Artifacts;
