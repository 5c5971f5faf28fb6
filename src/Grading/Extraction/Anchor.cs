using System.Text.RegularExpressions;

namespace PrunerPipeline.Grading.Extraction;

/// <summary>One answer anchor: its pattern, priority (lower first) and kind; <see cref="RequiresBoxed"/> keeps only math spans holding a <c>\boxed{}</c>.</summary>
/// <remarks>A null <see cref="Pattern"/> is the last-box anchor, found by string search: from the first <c>\boxed{</c> to the last
/// closing brace (what a greedy <c>\boxed\{.+\}</c> matches, without its quadratic backtracking on many open boxes).</remarks>
internal sealed record Anchor(Regex? Pattern, int Priority, CandidateKind Kind, bool RequiresBoxed = false);
