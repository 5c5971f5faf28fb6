using PrunerPipeline.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using PrunerPipeline.Training.Checkpoints;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Loop;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019) with decoupled weight decay, the same update as torch.optim.AdamW. Written out
/// rather than taken from TorchSharp so its moments can be saved to and restored from a safetensors file exactly,
/// which a bit-identical resume needs. Weight decay applies to matrices only (norm weights and biases are 1-D).
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> parameters;
    private readonly Dictionary<string, (Tensor ExpAvg, Tensor ExpAvgSq)> moments = new(StringComparer.Ordinal);
    private readonly double beta1, beta2, epsilon, weightDecay;

    public AdamWOptimizer(IReadOnlyList<(string Name, Parameter Parameter)> parameters, double beta1, double beta2, double epsilon, double weightDecay)
    {
        this.parameters = parameters;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        foreach (var (name, p) in parameters)
        {
            moments[name] = (zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope());
        }
    }

    /// <summary>Updates taken so far (t in the bias corrections).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// Zeroes every gradient. <c>p.grad</c> is a fresh wrapper whose handle <c>zero_()</c> passes to native code and
    /// then drops: left unreferenced, a collection during the call could finalize it and free the native tensor under
    /// the call (the segmentation fault of issue 18). The scope keeps each wrapper alive and disposes it here.
    /// </summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var (_, p) in parameters)
        {
            p.grad?.zero_();
        }
    }

    public void Step(double learningRate)
    {
        StepCount++;
        var correction1 = 1 - Math.Pow(beta1, StepCount);
        var correction2 = 1 - Math.Pow(beta2, StepCount);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, p) in parameters)
        {
            if (p.grad is not { } grad)
            {
                continue;
            }
            var (m, v) = moments[name];
            if (weightDecay > 0 && p.dim() >= 2)
            {
                p.mul_(1 - learningRate * weightDecay);
            }
            m.mul_(beta1).add_(grad, alpha: 1 - beta1);
            v.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            // One parameter's temporary at a time: left to the step's scope, the denominators of every parameter
            // lived until the end of the step (a whole float32 copy of the model: +2 GB at 0.5B parameters).
            using var denominator = v.div(correction2).sqrt_().add_(epsilon);
            p.addcdiv_(m, denominator, value: -learningRate / correction1);
        }
    }

    /// <summary>Writes the moments (<c>{param}.exp_avg</c>, <c>{param}.exp_avg_sq</c>) as float32 safetensors.</summary>
    public void Save(string path)
    {
        var tensors = new List<(string, Tensor)>();
        foreach (var (name, _) in parameters)
        {
            tensors.Add(($"{name}.exp_avg", moments[name].ExpAvg));
            tensors.Add(($"{name}.exp_avg_sq", moments[name].ExpAvgSq));
        }
        SafetensorsWriter.Write(path, tensors);
    }

    /// <summary>
    /// Restores the moments written by <see cref="Save"/> and the step count recorded beside them: each moment is read
    /// straight into its tensor (no second copy of the optimizer state: 8 bytes per parameter, 4 GB for a 0.5B model).
    /// </summary>
    public void Load(string path, long stepCount)
    {
        using var reader = new SafetensorsReader(path);
        using var noGrad = no_grad();
        foreach (var (name, _) in parameters)
        {
            if (!reader.Entries.ContainsKey($"{name}.exp_avg") || !reader.Entries.ContainsKey($"{name}.exp_avg_sq"))
            {
                throw new InvalidDataException($"Optimizer state {path} has no moments for parameter {name}; was it saved with other frozen layers?");
            }
        }
        foreach (var (name, _) in parameters)
        {
            reader.CopyInto($"{name}.exp_avg", moments[name].ExpAvg);
            reader.CopyInto($"{name}.exp_avg_sq", moments[name].ExpAvgSq);
        }
        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (var (m, v) in moments.Values)
        {
            m.Dispose();
            v.Dispose();
        }
    }
}
