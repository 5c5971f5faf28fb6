using System.Globalization;
using PrunerPipeline.Model;
using PrunerPipeline.Model.Adapters;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// <c>pruner generate --model DIR --prompt TEXT</c>: renders the prompt with the chat template, generates with the
/// KV cache, and prints the completion with its length, finish reason and mean log-prob. For looking at what a
/// model (the built-in one, a checkpoint of a run) actually writes.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = ModelArgument.Description + " Or a PEFT adapter folder (merged into its base for decoding). It must hold tokenizer.json (an adapter: or its base).", Required = true };
        var baseModel = new Option<string?>("--base") { Description = "With an adapter folder: its base model folder (default: the adapter's base_model_name_or_path)." };
        var prompt = new Option<string>("--prompt") { Description = "The user turn.", Required = true };
        var system = new Option<string?>("--system") { Description = "An optional system turn." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Length limit.", DefaultValueFactory = _ => 384 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass.", DefaultValueFactory = _ => 1.0 };
        var samples = new Option<int>("--samples") { Description = "How many completions to generate.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 0 };
        var command = new Command("generate", "Generate completions for one prompt with a model folder.")
        {
            model, baseModel, prompt, system, maxNewTokens, temperature, topP, samples, seed,
        };
        command.SetAction(parseResult =>
        {
            var folder = ModelArgument.Resolve(parseResult.GetValue(model)!);
            var isAdapter = PeftAdapter.IsAdapterFolder(folder);
            var count = parseResult.GetValue(samples);
            if (count < 1)
            {
                Console.Error.WriteLine("--samples: must be at least 1");
                return 2;
            }
            // Nothing is trained here: a BF16/F16 checkpoint stays 16-bit in memory.
            CausalLM causalLm;
            try
            {
                causalLm = isAdapter ? CausalLM.LoadAdapter(folder, parseResult.GetValue(baseModel), dtype: WeightDtype.AsStored) : CausalLM.Load(folder, dtype: WeightDtype.AsStored);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"--model: {e.Message}");
                return 1;
            }
            using var loaded = causalLm;
            // A foreign adapter folder may lack the tokenizer: then it is the base's.
            var tokenizer = TextTokenizer.Load(File.Exists(Path.Combine(folder, "tokenizer.json")) ? folder : causalLm.SourceDirectory ?? folder);
            var ids = tokenizer.Encode(ChatTemplate.Render(parseResult.GetValue(system), parseResult.GetValue(prompt)!)).ToArray();
            var options = new SamplingOptions
            {
                MaxNewTokens = parseResult.GetValue(maxNewTokens),
                Temperature = parseResult.GetValue(temperature),
                TopP = parseResult.GetValue(topP),
                StopTokenIds = tokenizer.EosTokenIds.Concat(causalLm.Config.EosTokenIds).Distinct().ToArray(),
                Seed = parseResult.GetValue(seed),
            };
            var problems = options.Validate(count);
            if (problems.Count > 0)
            {
                Console.Error.WriteLine(string.Join("; ", problems));
                return 2;
            }
            var generated = Generator.Generate(causalLm, Enumerable.Repeat(ids, count).ToArray(), options);
            foreach (var (sequence, index) in generated.Select((s, i) => (s, i)))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"--- sample {index + 1}: {sequence.TokenIds.Length} tokens, {sequence.FinishReason}, mean log-prob {sequence.LogProbs.DefaultIfEmpty(0).Average():F3}"));
                Console.WriteLine(tokenizer.Decode(sequence.TokenIds));
            }
            return 0;
        });
        return command;
    }
}
