using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("PrunerPipeline.Training.Tests")]
