using PrunerPipeline.Model;
using PrunerPipeline.Model.Benchmarks;
using PrunerPipeline.Training.Loop;
using PrunerPipeline.Training.Samples;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Benchmarks;

/// <summary>
/// Measures the real training loop (PolicyTrainer, SFT loss, AdamW, gradient clipping) on random token sequences of a
/// fixed length, so the number is the throughput a run gets, loop overheads included. The first step is a warm-up and
/// is not counted.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>
    /// <paramref name="steps"/> measured steps of <paramref name="batchSize"/> sequences of <paramref name="sequenceLength"/>
    /// tokens (one prompt token, the rest completion) on <paramref name="model"/>, checkpoints in a temporary folder.
    /// </summary>
    public static TrainingThroughput Run(string modelName, CausalLM model, int batchSize, int sequenceLength, int steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var policy = new CausalLmPolicy(model);
        var config = model.Config;
        var parameters = model.ParameterCount;
        // 6·N counts matmul weights: the input embedding is a lookup, unless it doubles as the (tied) LM head.
        var matmulParameters = config.TieWordEmbeddings ? parameters : parameters - (long)config.VocabSize * config.HiddenSize;
        var work = Directory.CreateTempSubdirectory("pruner-bench-train");
        try
        {
            return Run(modelName, policy, parameters, matmulParameters, config.NumHiddenLayers, config.HiddenSize, config.VocabSize,
                batchSize, 1, sequenceLength - 1, steps, work.FullName);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <param name="matmulParameters">N in 6·N: every parameter except the input embedding.</param>
    public static TrainingThroughput Run(string modelName, ITrainablePolicy policy, long parameters, long matmulParameters, int layers, int hidden,
        int vocabulary, int batchSize, int promptLength, int completionLength, int steps, string workFolder)
    {
        var random = new Random(1);
        var samples = Enumerable.Range(0, batchSize * (steps + 1)).Select(i =>
        {
            var prompt = Enumerable.Range(0, promptLength).Select(_ => random.Next(vocabulary)).ToArray();
            var completion = Enumerable.Range(0, completionLength).Select(_ => random.Next(vocabulary)).ToArray();
            return new TrainingSample($"bench{i}", 0, prompt, completion, new float[completionLength], true, 0, completionLength);
        }).ToArray();
        var trainer = new PolicyTrainer(new TrainerOptions { BatchSize = batchSize, MaxTokensPerMicroBatch = batchSize * (promptLength + completionLength), WarmupRatio = 0 });
        var result = trainer.Train(policy, new SftRecipe(samples), workFolder, null, null, CancellationToken.None);
        var measured = result.Metrics.Skip(1).ToArray();
        var seconds = measured.Sum(m => m.Seconds);
        var tokens = measured.Sum(m => (double)m.Tokens);
        var sequenceLength = promptLength + completionLength;
        var flopsPerToken = 6.0 * matmulParameters + 12.0 * layers * hidden * sequenceLength;
        var tokensPerSecond = tokens / seconds;
        return new TrainingThroughput(modelName, parameters, batchSize, sequenceLength, Threads: get_num_threads(), MeasuredSteps: measured.Length,
            tokensPerSecond, SecondsPerStep: seconds / measured.Length, ModelFlopsPerToken: flopsPerToken,
            AchievedGflops: tokensPerSecond * flopsPerToken / 1e9, MatmulPeakGflops: MatmulPeak.MeasureGflops(), PeakResidentMiB: ProcessMemory.PeakResidentMiB());
    }
}
