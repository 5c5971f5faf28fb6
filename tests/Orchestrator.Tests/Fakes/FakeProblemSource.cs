using PrunerPipeline.Orchestrator.Problems;

namespace PrunerPipeline.Orchestrator.Tests.Fakes;

/// <summary>Stands in for the dataset catalog: "synthetic" with a given number of training problems.</summary>
public sealed class FakeProblemSource(int syntheticProblems = 10) : IProblemSource
{
    public IReadOnlyCollection<string> TrainingDatasets { get; } = ["synthetic", "gsm8k", "math"];

    public IReadOnlyCollection<string> EvaluationDatasets { get; } = ["synthetic", "gsm8k", "math500", "gaokao2023en"];

    public IReadOnlyList<string> TrainingProblemIds(string dataset) =>
        dataset == "synthetic" ? Enumerable.Range(0, syntheticProblems).Select(i => $"syn-{i:D3}").ToList() : [];
}
