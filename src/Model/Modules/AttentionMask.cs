using static TorchSharp.torch;

namespace PrunerPipeline.Model.Modules;

/// <summary>Additive attention masks: causal, and blind to padded key positions.</summary>
public static class AttentionMask
{
    /// <summary>The value added to a forbidden score: finite, so a row with nothing to attend to never turns into NaN.</summary>
    public const float Blocked = float.MinValue / 2;

    /// <summary>
    /// Mask (B, 1, T, past+T) for T queries at positions [past, past+T): key s is visible to query t when
    /// s ≤ past + t and <paramref name="validKeys"/>[b, s] (B, ≥ past+T, bool) is true.
    /// </summary>
    public static Tensor Causal(Tensor validKeys, long past, long length)
    {
        using var scope = NewDisposeScope();
        var span = past + length;
        var device = validKeys.device;
        var keyPositions = arange(span, ScalarType.Int64, device).unsqueeze(0);
        var queryPositions = arange(past, span, ScalarType.Int64, device).unsqueeze(1);
        var causal = keyPositions.le(queryPositions).unsqueeze(0);
        var allowed = causal.logical_and(validKeys.narrow(1, 0, span).unsqueeze(1));
        var mask = zeros([validKeys.shape[0], 1, length, span], ScalarType.Float32, device);
        return mask.masked_fill_(allowed.logical_not().unsqueeze(1), Blocked).MoveToOuterDisposeScope();
    }
}
