using System.Text.RegularExpressions;

namespace PrunerPipeline.Grading.Extraction;

/// <summary>One answer anchor: its pattern, priority (lower first) and kind; <see cref="RequiresBoxed"/> keeps only math spans holding a <c>\boxed{}</c>.</summary>
internal sealed record Anchor(Regex Pattern, int Priority, CandidateKind Kind, bool RequiresBoxed = false);
