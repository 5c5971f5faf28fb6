namespace PrunerPipeline.LongThought.Builtin;

/// <summary>Teacher-forced loss on the validation traces after <see cref="Step"/> optimiser steps.</summary>
public sealed record ValidationPoint(int Step, double Loss);
