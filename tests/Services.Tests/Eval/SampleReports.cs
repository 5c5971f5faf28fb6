using PrunerPipeline.EvalService.Metrics;
using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.Services.Tests.Eval;

/// <summary>A small, fully deterministic comparison: a long-winded reference and four methods with known outcomes.</summary>
internal static class SampleReports
{
    /// <summary>40 problems over levels 1–4; each model's solution length is base + level·slope (+ a spread), correct unless i % wrongEvery == 0.</summary>
    public static EvaluationSummary Model(int baseLength, int slope, int wrongEvery)
    {
        var outcomes = Enumerable.Range(0, 40).Select(i =>
        {
            var level = i % 4 + 1;
            var length = baseLength + level * slope + (i % 5) * 7;
            return new ProblemOutcome($"p{i}", "synthetic", level, i % wrongEvery != 0, length, "x", "stop");
        }).ToList();
        return EvaluationSummary.From("synthetic", outcomes, wallSeconds: 4);
    }

    public static EvaluationReport Comparison()
    {
        var reference = Model(150, 60, 5);
        ModelResult Method(string label, EvaluationSummary s) => ModelResult.Of(label, s, [s], reference);
        return new EvaluationReport
        {
            Title = "Sample comparison",
            Settings = new Dictionary<string, string> { ["model"] = "builtin", ["decoding"] = "greedy" },
            Reference = ModelResult.Of("Reference", reference, [reference]),
            Methods = new Dictionary<string, ModelResult>
            {
                ["o1pruner"] = Method("O1-Pruner (λ=2)", Model(60, 25, 8)),
                ["sft"] = Method("SFT", Model(90, 35, 6)),
                ["dpo"] = Method("DPO", Model(80, 30, 5)),
                ["fastprompt"] = Method("Fast-solving prompt", Model(120, 50, 4)),
            },
            Timings = new Dictionary<string, double> { ["builtinModel"] = 12.5, ["sampling"] = 30.25 },
            TrainingCurves = new Dictionary<string, IReadOnlyList<TrainingCurvePoint>>
            {
                ["o1pruner"] = Enumerable.Range(1, 20).Select(s => new TrainingCurvePoint(s, 1.0 / s, 0.1 * s, 300 - 8 * s)).ToList(),
                ["sft"] = Enumerable.Range(1, 20).Select(s => new TrainingCurvePoint(s, 2.0 / s, 0, 200)).ToList(),
            },
            Pilot = new PilotSummary(16, 32, [0.9, 0.85, 0.8, 0.7], [120, 180, 240, 330]),
        };
    }
}
