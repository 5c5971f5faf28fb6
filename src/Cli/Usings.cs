global using System.CommandLine;
global using System.Text.Json;
global using PrunerPipeline.Contracts;
global using PrunerPipeline.Hosting.Artifacts;
