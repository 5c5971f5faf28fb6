using TorchSharp;

namespace PrunerPipeline.Model;

/// <summary>One place that initialises TorchSharp and picks the device and thread count.</summary>
public static class TorchRuntime
{
    /// <summary>Resolves a device name ("cpu", "cuda", "cuda:1"); fails clearly when CUDA is asked for but absent.</summary>
    public static torch.Device Device(string name = "cpu")
    {
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !torch.cuda.is_available())
            throw new InvalidOperationException($"device '{name}' was requested but the CUDA backend is not available; build with -p:TorchBackend=cuda on a machine with CUDA, or use 'cpu'");
        return new torch.Device(name);
    }
}
