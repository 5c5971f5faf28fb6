using PrunerPipeline.Model;

namespace PrunerPipeline.RolloutService;

/// <summary>π_ref: the frozen model the K solutions per problem are sampled from, with its tokenizer.</summary>
public sealed record ReferenceModel(CausalLM Model, TextTokenizer Tokenizer);
