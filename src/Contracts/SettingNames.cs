using System.Text.Json;

namespace PrunerPipeline.Contracts;

/// <summary>
/// How an enum setting is spelled on the wire and in reports: camelCase of its name ("sequence", "standardised"), the
/// spelling the message and store JSON write. Parsing is the JSON converter's (case-insensitive); these are for text.
/// </summary>
public static class SettingNames
{
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Every value's wire spelling, in declaration order ("token", "sequence").</summary>
    public static string[] All<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Of).ToArray();

    /// <summary>The value spelled <paramref name="text"/> (any case), or null.</summary>
    public static T? Parse<T>(string? text) where T : struct, Enum =>
        Enum.GetValues<T>().Where(v => string.Equals(Of(v), text, StringComparison.OrdinalIgnoreCase)).Select(v => (T?)v).FirstOrDefault();
}
