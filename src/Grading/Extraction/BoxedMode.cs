namespace PrunerPipeline.Grading.Extraction;

/// <summary>Which <c>\boxed{}</c> groups <see cref="BoxedContent"/> keeps.</summary>
internal enum BoxedMode
{
    All,
    Last,
}
