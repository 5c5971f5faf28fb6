// These tests seed TorchSharp's process-wide RNG (torch.manual_seed) and compare bit-exact results: classes running
// in parallel would draw from each other's stream.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
