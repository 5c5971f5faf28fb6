global using PrunerPipeline.Contracts;
global using PrunerPipeline.LongThought.Builtin;
global using PrunerPipeline.TestSupport;
global using Xunit;
