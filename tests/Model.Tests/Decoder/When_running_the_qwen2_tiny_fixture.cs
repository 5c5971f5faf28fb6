namespace PrunerPipeline.Model.Tests.Decoder;

public class When_running_the_qwen2_tiny_fixture
{
    [Fact]
    public void Logits_log_probs_argmax_and_greedy_ids_match_the_reference_implementation()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        Fixture.AssertParity(model);
    }

    [Fact]
    public void Parameter_names_are_the_hugging_face_state_dict_names()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var names = model.Module.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.2.self_attn.q_proj.bias", names);
        Assert.Contains("model.layers.0.mlp.down_proj.weight", names);
        Assert.Contains("model.layers.1.post_attention_layernorm.weight", names);
        Assert.Contains("model.norm.weight", names);
        Assert.Contains("lm_head.weight", names);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", names);
        // 3 layers × (q,k,v weight+bias = 6, o, gate, up, down, 2 norms = 12) + embed + norm + head
        Assert.Equal(3 * 12 + 3, names.Count);
    }

    [Fact]
    public void Teacher_forced_log_probs_of_a_completion_match_the_fixture()
    {
        using var model = CausalLM.Load(Fixture.Folder);
        var expected = Fixture.Expected()["sequences"]!.AsArray();
        var prompts = new List<int[]>();
        var completions = new List<int[]>();
        var expectedLogProbs = new List<double[]>();
        foreach (var sequence in expected.Skip(1))
        {
            var ids = Fixture.Ints(sequence!["input_ids"]);
            var split = ids.Length / 3 + 1;
            prompts.Add(ids[..split]);
            completions.Add(ids[split..]);
            expectedLogProbs.Add(Fixture.Doubles(sequence["next_token_logprobs"])[(split - 1)..]);
        }

        using var noGrad = TorchSharp.torch.no_grad();
        var (logProbs, mask) = TeacherForcing.CompletionLogProbs(model.Module, prompts, completions);

        for (var b = 0; b < prompts.Count; b++)
        {
            var row = logProbs[b].data<float>().ToArray();
            var rowMask = mask[b].data<float>().ToArray();
            Assert.Equal(completions[b].Length, (int)rowMask.Sum());
            Fixture.AssertClose(expectedLogProbs[b], row.Take(completions[b].Length).Select(v => (double)v).ToArray(), 1e-4, $"row {b}");
            Assert.All(row.Skip(completions[b].Length), v => Assert.Equal(0f, v));
        }
    }
}
