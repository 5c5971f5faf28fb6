global using PrunerPipeline.TestSupport;
global using PrunerPipeline.Training.Loop;
global using TorchSharp;
global using Xunit;
global using static TorchSharp.torch;
