namespace PrunerPipeline.Model;

/// <summary>The dtype <see cref="CausalLM.Load"/> keeps a checkpoint's weights in.</summary>
public enum WeightDtype
{
    /// <summary>float32 whatever the checkpoint stores (trainable models: training needs fp32 master weights).</summary>
    Float32,

    /// <summary>
    /// The checkpoint's own dtype (BF16 and F16 stay 16-bit, F32 stays F32), for frozen models (the reference in
    /// sampling and evaluation): half the memory of a float32 copy; compute still runs in float32, one upcast matrix at a time.
    /// </summary>
    AsStored,
}
