using System.Text.Json.Nodes;
using PrunerPipeline.Model;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner probe --model DIR --input expected.json --output out.json</c>: runs our decoder on the inputs of a parity
/// fixture (shape of shared/fixtures/qwen2-tiny/expected.json) and writes the same fields as we compute them.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json + safetensors).", Required = true };
        var input = new Option<string>("--input") { Description = "JSON with sequences[*].input_ids and greedy.{prompt,new_tokens}.", Required = true };
        var output = new Option<string>("--output") { Description = "Where to write the computed fields (JSON).", Required = true };
        var command = new Command("probe", "Compute logits, log-probs and a greedy continuation for a parity fixture.") { model, input, output };
        command.SetAction(parseResult => Run(parseResult.GetValue(model)!, parseResult.GetValue(input)!, parseResult.GetValue(output)!));
        return command;
    }

    private static int Run(string modelFolder, string inputPath, string outputPath)
    {
        if (!File.Exists(inputPath))
        {
            Console.Error.WriteLine($"--input: file '{inputPath}' does not exist.");
            return 2;
        }
        modelFolder = ModelArgument.Resolve(modelFolder);
        try
        {
            using var causalLm = CausalLM.Load(modelFolder);
            var result = ModelProbe.Run(causalLm, JsonNode.Parse(File.ReadAllText(inputPath)) ?? new JsonObject());
            File.WriteAllText(outputPath, result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or FileNotFoundException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
