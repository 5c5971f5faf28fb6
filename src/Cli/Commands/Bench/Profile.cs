using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench profile</c>: where a torch-engine decode step's time goes (<see cref="DecodeStepProfile"/>).</summary>
internal static class Profile
{
    public static Command Create()
    {
        var bench = ModelBench.Float32();
        var batch = BenchOutput.Count("--batch", "Sequences decoded together.", defaultValue: 1);
        var command = bench.Command("profile",
            "Where a torch-engine decode step's time goes: the step (KV cache, prompt 32, 128 new tokens), the same step's weight matmuls alone, and the cost of one tiny op.",
            batch);
        command.SetAction(parseResult =>
        {
            var b = parseResult.GetValue(batch);
            using var loaded = bench.Load(parseResult);
            var result = DecodeStepProfile.Run(loaded.Model, b);
            return BenchOutput.Print(result, new { batch = b, threads = loaded.Threads });
        });
        return command;
    }
}
