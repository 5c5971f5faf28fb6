namespace PrunerPipeline.Model;

/// <summary>
/// Qwen's ChatML, rendered for the one shape the pipeline needs (an optional system turn, one user turn, the
/// assistant's reply) exactly as the Jinja <c>chat_template</c> of Qwen2/Qwen3's tokenizer_config.json renders it:
/// <code>&lt;|im_start|&gt;system\n{system}&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n{user}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</code>
/// The reply (with its &lt;think&gt; section) is the completion that follows; it ends with &lt;|im_end|&gt;.
/// </summary>
public static class ChatTemplate
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <param name="enableThinking">false adds the empty think block Qwen3 uses to switch thinking off.</param>
    public static string Render(string? system, string user, bool addGenerationPrompt = true, bool enableThinking = true)
    {
        var text = (system is null ? "" : $"{ImStart}system\n{system}{ImEnd}\n") + $"{ImStart}user\n{user}{ImEnd}\n";
        if (addGenerationPrompt)
            text += $"{ImStart}assistant\n" + (enableThinking ? "" : "<think>\n\n</think>\n\n");
        return text;
    }

    /// <summary>A whole training example: the prompt followed by the assistant's reply and its end-of-turn token.</summary>
    public static string RenderConversation(string? system, string user, string assistant) =>
        Render(system, user) + assistant + ImEnd + "\n";
}
