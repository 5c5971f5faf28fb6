using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrunerPipeline.Contracts;

/// <summary>
/// What a run does to the reference model (DESIGN.md §1.3–1.4): the key of a method in the method registry
/// (src/Methods). A typed key rather than a C# enum, so a method is added with one file and one registration
/// line and no edit here. On the wire it is a string; any spelling that differs only in case, '-', '_' or spaces names
/// the same method ("O1Pruner", "o1pruner" and "o1-pruner" are one), so old run files and hand-written bodies keep working.
/// </summary>
[JsonConverter(typeof(PruningMethodJsonConverter))]
public readonly record struct PruningMethod
{
    private readonly string? key;

    public PruningMethod(string name) => key = Normalise(name);

    /// <summary>Length-Harmonizing Fine-Tuning: off-policy PPO-clip with the R_LH reward.</summary>
    public static PruningMethod O1Pruner { get; } = new("o1pruner");

    /// <summary>Supervised fine-tuning on the two shortest correct samples per problem.</summary>
    public static PruningMethod Sft { get; } = new("sft");

    /// <summary>DPO with (shortest correct, longest correct) pairs.</summary>
    public static PruningMethod Dpo { get; } = new("dpo");

    /// <summary>No training: the reference model is asked to be brief.</summary>
    public static PruningMethod FastPrompt { get; } = new("fastprompt");

    /// <summary>The canonical key: lower case letters and digits ("o1pruner"); the key of report.json's <c>methods</c>.</summary>
    public string Key => key ?? "";

    public override string ToString() => Key;

    private static string Normalise(string? name) =>
        new((name ?? "").Where(c => c is not ('-' or '_' or ' ')).Select(char.ToLowerInvariant).ToArray());

    private sealed class PruningMethodJsonConverter : JsonConverter<PruningMethod>
    {
        public override PruningMethod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? new PruningMethod(reader.GetString()!)
                : throw new JsonException($"method: expected a method name such as \"O1Pruner\", got a JSON {reader.TokenType}");

        public override void Write(Utf8JsonWriter writer, PruningMethod value, JsonSerializerOptions options) => writer.WriteStringValue(value.Key);
    }
}
