namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// An answer read from a text: what was extracted (<see cref="Text"/>, as reported), its structure, whether it carried a
/// percent sign, and <see cref="Fallback"/>, the normalised string of the first candidate found, compared as a string
/// when structures differ (Math-Verify's <c>fallback_mode="first_match"</c>).
/// </summary>
internal sealed record ReadAnswer(string Text, AnswerValue Value, bool IsPercent, string Fallback);
