global using PrunerPipeline.Model.Checkpoints;
global using PrunerPipeline.TestSupport;
global using TorchSharp;
global using Xunit;
global using static TorchSharp.torch;
