using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Model.Benchmarks;

/// <summary>Loading a checkpoint for decoding benchmarks in the precision asked for (`--dtype auto|bf16|f16|f32`).</summary>
public static class DecodeModels
{
    /// <summary>The precision names the benchmarks accept.</summary>
    public static readonly string[] DtypeNames = ["auto", "bf16", "f16", "f32"];

    /// <summary>
    /// Loads <paramref name="folder"/> and puts its parameters in the decoding dtype: auto = the checkpoint's own
    /// (config.json's torch_dtype), so a bfloat16 checkpoint is decoded from bfloat16 weights and a float32 one from
    /// float32. The module is converted in place (no float32 copy stays beside 16-bit parameters).
    /// Returns the model and the dtype name it decodes in (f32, bf16, f16).
    /// </summary>
    public static (CausalLM Model, string Dtype) Load(string folder, string dtype)
    {
        var model = CausalLM.Load(folder);
        try
        {
            var wanted = dtype switch
            {
                "auto" => model.Config.TorchDtype switch
                {
                    "bfloat16" => "bf16",
                    "float16" => "f16",
                    _ => "f32",
                },
                "bf16" or "f16" or "f32" => dtype,
                _ => throw new ArgumentException($"--dtype must be one of {string.Join(", ", DtypeNames)} (got '{dtype}')", nameof(dtype)),
            };
            var scalar = wanted switch
            {
                "bf16" => ScalarType.BFloat16,
                "f16" => ScalarType.Float16,
                _ => ScalarType.Float32,
            };
            if (model.Module.parameters().Any(p => p.dtype != scalar))
            {
                using var noGrad = no_grad();
                model.Module.to(scalar);
            }
            return (model, wanted);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The engine precision option for a dtype name.</summary>
    public static WeightPrecision PrecisionOf(string dtype) => dtype switch
    {
        "bf16" => WeightPrecision.BF16,
        "f16" => WeightPrecision.F16,
        "f32" => WeightPrecision.F32,
        _ => WeightPrecision.Auto,
    };
}
