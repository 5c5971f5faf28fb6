using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit.Serialization;

namespace PrunerPipeline.Hosting.Messaging;

/// <summary>Message JSON as people write it: enums by camelCase name (<c>"ratioGranularity": "sequence"</c>; any case is read), numbers also accepted.</summary>
public static class MessageJson
{
    private static readonly Lock Gate = new();

    /// <summary>Adds the string-enum converter to MassTransit's serializer options once, before the first message is serialized.</summary>
    public static void UseEnumNames()
    {
        lock (Gate)
        {
            var options = SystemTextJsonMessageSerializer.Options;
            if (!options.IsReadOnly && !options.Converters.OfType<JsonStringEnumConverter>().Any())
            {
                options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            }
        }
    }
}
