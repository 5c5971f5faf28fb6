using PrunerPipeline.Model.Benchmarks;

namespace PrunerPipeline.Cli.Commands.Bench;

/// <summary><c>pruner bench memory</c>: resident memory over many generate calls (<see cref="MemoryBenchmark"/>).</summary>
internal static class Memory
{
    public static Command Create()
    {
        var model = BenchOutput.ModelOption();
        var calls = BenchOutput.Count("--calls", "Generate calls (batch 4, prompt 16, 32 new tokens each).", minimum: 2, defaultValue: 1000);
        var engine = BenchOutput.EngineOption("auto, torch or managed.");
        var command = new Command("memory", "Resident memory before and after many generate calls: tensor scopes must keep it flat.") { model, calls, engine };
        command.SetAction(parseResult =>
        {
            var n = parseResult.GetValue(calls);
            var (causalLm, _) = BenchOutput.LoadModel(parseResult.GetValue(model)!);
            using var loaded = causalLm;
            var result = MemoryBenchmark.Run(causalLm, n, BenchOutput.EngineOf(parseResult.GetValue(engine)!));
            return BenchOutput.Print(result, new { calls = n });
        });
        return command;
    }
}
