namespace PrunerPipeline.Datasets;

/// <summary>One problem of a dataset: the question, its gold answer and (when the source has one) a worked solution.</summary>
/// <param name="Id">Stable id, unique within the dataset (e.g. <c>gsm8k-test-0000</c>, <c>syn-train-00042</c>).</param>
/// <param name="Question">Problem text without any prompt prefix or suffix.</param>
/// <param name="Answer">Gold final answer as the source gives it.</param>
/// <param name="Solution">Worked solution, <c>""</c> when the source has none; for the synthetic task the teacher trace.</param>
/// <param name="Source">Dataset name (<c>gsm8k</c>, <c>math</c>, <c>math500</c>, <c>gaokao2023en</c>, <c>synthetic</c>).</param>
/// <param name="Level">Difficulty level when known (MATH 1–5, synthetic: number of operations).</param>
/// <param name="Subject">MATH subject when known.</param>
public sealed record Problem(string Id, string Question, string Answer, string Solution, string Source, int? Level, string? Subject);
