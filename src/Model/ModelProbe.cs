using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace PrunerPipeline.Model;

/// <summary>
/// Computes the parity fields of <c>shared/fixtures/qwen2-tiny/expected.json</c> with our model: per sequence the
/// logits at the first and last position, the argmax at every position, the sum and sum of squares of all logits,
/// the next-token log-probs, and a greedy continuation (no stop ids, exactly <c>new_tokens</c> tokens).
/// </summary>
public static class ModelProbe
{
    public static JsonObject Run(CausalLM model, JsonNode input)
    {
        var sequences = new JsonArray();
        var inputSequences = input["sequences"] as JsonArray ?? throw new InvalidDataException("probe input: 'sequences' must be a list");
        for (var i = 0; i < inputSequences.Count; i++)
        {
            var ids = ReadIds(inputSequences[i]?["input_ids"], $"sequences[{i}].input_ids", model.Config.VocabSize);
            sequences.Add(ProbeSequence(model, ids));
        }
        var result = new JsonObject { ["sequences"] = sequences, ["dtype"] = "F32" };
        if (input["greedy"] is JsonObject greedy)
        {
            var prompt = ReadIds(greedy["prompt"], "greedy.prompt", model.Config.VocabSize);
            var newTokens = greedy["new_tokens"]?.GetValue<int>() ?? throw new InvalidDataException("probe input: 'greedy.new_tokens' is missing");
            var generated = Generator.Generate(model, [prompt], new SamplingOptions { MaxNewTokens = newTokens, Temperature = 0 });
            result["greedy"] = new JsonObject
            {
                ["prompt"] = ToJson(prompt),
                ["new_tokens"] = newTokens,
                ["ids"] = ToJson(generated[0].TokenIds),
            };
        }
        return result;
    }

    private static JsonObject ProbeSequence(CausalLM model, int[] ids)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(ids.Select(id => (long)id).ToArray(), device: model.Device).unsqueeze(0);
        var logits = model.Module.forward(input).squeeze(0).to(CPU).to_type(ScalarType.Float64);
        var length = ids.Length;
        var logProbs = logits.log_softmax(-1);
        var next = new double[Math.Max(0, length - 1)];
        for (var t = 0; t < length - 1; t++)
            next[t] = logProbs[t, ids[t + 1]].item<double>();
        return new JsonObject
        {
            ["input_ids"] = ToJson(ids),
            ["first_logits"] = ToJson(logits[0].data<double>().ToArray()),
            ["last_logits"] = ToJson(logits[length - 1].data<double>().ToArray()),
            ["argmax"] = ToJson(logits.argmax(-1).data<long>().ToArray().Select(a => (int)a).ToArray()),
            ["logits_sum"] = logits.sum().item<double>(),
            ["logits_sumsq"] = logits.pow(2).sum().item<double>(),
            ["next_token_logprobs"] = ToJson(next),
        };
    }

    private static int[] ReadIds(JsonNode? node, string field, int vocabSize)
    {
        if (node is not JsonArray array || array.Count == 0)
            throw new InvalidDataException($"probe input: '{field}' must be a non-empty list of token ids");
        var ids = new int[array.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = array[i]?.GetValue<int>() ?? -1;
            if (ids[i] < 0 || ids[i] >= vocabSize)
                throw new InvalidDataException($"probe input: '{field}[{i}]' = {ids[i]} is outside the vocabulary [0, {vocabSize})");
        }
        return ids;
    }

    private static JsonArray ToJson(IEnumerable<int> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static JsonArray ToJson(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
