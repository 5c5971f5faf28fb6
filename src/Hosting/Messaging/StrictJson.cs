using System.Text.Json;
using MassTransit;

namespace PrunerPipeline.Hosting.Messaging;

/// <summary>
/// Unknown JSON fields are a typo, not a wish: <c>{"runId": "x", "lamda": 0}</c> would otherwise run with the default λ.
/// These helpers find the fields of a JSON object that the target type has no property for, so the caller can reject
/// the input naming them. Only the top level is checked (a message's own fields).
/// </summary>
public static class StrictJson
{
    /// <summary>MassTransit's envelope media type: the message itself is the envelope's <c>message</c> field.</summary>
    private const string EnvelopeMediaType = "application/vnd.masstransit+json";

    /// <summary>The property names <typeparamref name="T"/> has in JSON under <paramref name="options"/> (naming policy and attributes applied).</summary>
    public static IReadOnlyList<string> FieldNames<T>(JsonSerializerOptions options)
    {
        if (!options.IsReadOnly)
        {
            // An options instance no serializer call has used yet has no resolver: give it the default one (and lock it,
            // as its first use would).
            options.MakeReadOnly(populateMissingResolver: true);
        }
        return options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToList();
    }

    /// <summary>The names in <paramref name="json"/>'s top-level object that <typeparamref name="T"/> does not define, in input order.</summary>
    public static IReadOnlyList<string> UnknownFields<T>(JsonElement json, JsonSerializerOptions options)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var known = FieldNames<T>(options).ToHashSet(comparer);
        return json.EnumerateObject().Select(p => p.Name).Where(name => !known.Contains(name)).Distinct(comparer).ToList();
    }

    /// <summary>One reason per unknown field: <c>lamda: unknown field; allowed: runId, method, …</c>.</summary>
    public static IReadOnlyList<string> UnknownFieldReasons<T>(JsonElement json, JsonSerializerOptions options)
    {
        var unknown = UnknownFields<T>(json, options);
        if (unknown.Count == 0)
        {
            return [];
        }
        var allowed = string.Join(", ", FieldNames<T>(options));
        return unknown.Select(name => $"{Artifacts.ArtifactName.Printable(name)}: unknown field; allowed: {allowed}").ToList();
    }

    /// <summary>
    /// The message's own JSON as it arrived (the envelope's <c>message</c> field, or the whole body of a raw JSON
    /// message); null when the body is not JSON (another serializer) or has no message object.
    /// </summary>
    public static JsonElement? MessageJson(ReceiveContext context)
    {
        try
        {
            using var document = JsonDocument.Parse(context.Body.GetBytes());
            var root = document.RootElement;
            var isEnvelope = string.Equals(context.ContentType?.MediaType, EnvelopeMediaType, StringComparison.OrdinalIgnoreCase);
            if (isEnvelope)
            {
                return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message) ? message.Clone() : null;
            }
            return root.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
