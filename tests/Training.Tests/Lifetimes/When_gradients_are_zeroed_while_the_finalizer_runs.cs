using TorchSharp.Modules;

namespace PrunerPipeline.Training.Tests.Lifetimes;

/// <summary>
/// A TorchSharp tensor is a managed wrapper with a finalizer around a native <c>at::Tensor*</c>. <c>p.grad</c> returns a
/// fresh wrapper; once its handle is passed to a native call (<c>zero_()</c> is <c>THSTensor_zeros_out</c>) nothing
/// keeps that wrapper alive, so a collection during the call may finalize it and free the <c>at::Tensor</c> the native
/// code is still reading: the intermittent segmentation fault of a long demo (a refcount increment on freed memory in
/// <c>THSTensor_zeros_out</c>, offset 0x150e85, issue 18). Before the fix this test crashed the test process three
/// runs out of three, at that same instruction.
/// </summary>
public class When_gradients_are_zeroed_while_the_finalizer_runs
{
    [Fact]
    public void No_gradient_wrapper_is_freed_under_a_native_call()
    {
        using var weight = new Parameter(ones(1 << 21));
        (weight * 2).sum().backward();
        using var optimizer = new AdamWOptimizer([("w", weight)], 0.9, 0.999, 1e-8, weightDecay: 0);
        using (new FinalizerPressure())
        {
            for (var i = 0; i < 3000; i++)
                optimizer.ZeroGrad();
        }
        using var grad = weight.grad!;
        Assert.Equal(0f, grad.abs().max().item<float>());
    }
}
