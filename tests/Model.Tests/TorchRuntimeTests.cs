namespace PrunerPipeline.Model.Tests;

public class When_torchsharp_starts
{
    [Fact]
    public void The_native_backend_loads_and_computes()
    {
        using var a = torch.ones(4, 4);
        using var b = torch.mm(a, a);
        Assert.Equal(4f, b[0, 0].item<float>());
    }
}
