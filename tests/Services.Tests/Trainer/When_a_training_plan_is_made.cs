using PrunerPipeline.TrainerService;
using PrunerPipeline.TrainerService.Planning;
using PrunerPipeline.Training.Loop;

namespace PrunerPipeline.Services.Tests.Trainer;

public class When_a_training_plan_is_made
{
    internal static ScoredSample Scored(string problem, int index, int length, bool correct, double reward) => new()
    {
        ProblemId = problem,
        SampleIndex = index,
        Prompt = "p",
        Text = "t",
        PromptTokenIds = [5, 6],
        TokenIds = Enumerable.Range(10, length).ToArray(),
        RefLogProbs = Enumerable.Repeat(-1.0f, length).ToArray(),
        Length = length,
        FinishReason = FinishReasons.Stop,
        Correct = correct,
        Extracted = correct ? "1" : "2",
        MeanRefLength = 5,
        MeanRefAccuracy = 0.5,
        Reward = reward,
    };

    private static readonly ScoredSample[] Samples =
    [
        Scored("a", 0, 3, true, 1.0), Scored("a", 1, 6, true, 0.2), Scored("a", 2, 9, false, -1.5), Scored("a", 3, 4, true, 0.8),
        Scored("b", 0, 2, false, -0.5), Scored("b", 1, 7, true, 0.9), Scored("b", 2, 5, true, 1.1), Scored("b", 3, 8, false, -1.9),
    ];

    [Fact]
    public void The_run_settings_reach_the_trainer_and_the_objective()
    {
        var run = new StartPruningRun { RunId = "r1", Epochs = 3, LearningRate = 2e-4, BatchSize = 4, Seed = 9, TrainingSamplesPerProblem = 2, RatioGranularity = RatioGranularity.Sequence, ClipEpsilon = 0.3 };
        var plan = TrainingPlan.Create(run, new TrainerSettings { FreezeFirstLayers = 1, CheckpointEverySteps = 5 }, Samples);

        Assert.Equal((3, 2e-4, 4, 9, 1, 5), (plan.Options.Epochs, plan.Options.LearningRate, plan.Options.BatchSize, plan.Options.Seed, plan.Options.FreezeFirstLayers, plan.Options.CheckpointEverySteps));
        var recipe = Assert.IsType<O1PrunerRecipe>(plan.Recipe);
        Assert.Equal(4, recipe.Count); // 2 of the 4 samples of each of 2 problems
    }

    [Theory]
    [InlineData(AdvantageMode.Raw, new[] { 1.0, 0.2, -1.5, 0.8 })]
    [InlineData(AdvantageMode.Standardised, new[] { 0.8918, 0.1693, -1.3659, 0.7112 })]
    [InlineData(AdvantageMode.Batch, new[] { 1.0, 0.2, -1.5, 0.8 })]
    public void The_runs_advantage_decides_whether_rewards_are_standardised_over_the_training_set(AdvantageMode advantage, double[] problemA)
    {
        var run = new StartPruningRun { RunId = "r", Advantage = advantage };
        var plan = TrainingPlan.Create(run, new TrainerSettings { RewardClipMin = -2, RewardClipMax = 4 }, Samples);

        var recipe = Assert.IsType<O1PrunerRecipe>(plan.Recipe);
        // Problem a's four samples; "batch" keeps the set's rewards and standardises each optimizer step instead.
        Assert.Equal(problemA, Enumerable.Range(0, 4).Select(i => Math.Round(recipe.AdvantageOf(i), 4)));
        Assert.Equal(advantage == AdvantageMode.Batch, recipe.NormalisesPerBatch);
    }

    [Fact]
    public void Each_method_selects_its_own_data()
    {
        var sft = TrainingPlan.Create(new StartPruningRun { RunId = "r", Method = PruningMethod.Sft }, new TrainerSettings(), Samples).Recipe;
        Assert.Equal([("a", 0), ("a", 3), ("b", 2), ("b", 1)], Enumerable.Range(0, sft.Count).Select(i => (sft.SequencesOf(i)[0].ProblemId, sft.SequencesOf(i)[0].SampleIndex)));
        var dpo = TrainingPlan.Create(new StartPruningRun { RunId = "r", Method = PruningMethod.Dpo }, new TrainerSettings(), Samples).Recipe;
        Assert.Equal(2, dpo.Count);
        Assert.Equal([("a", 0), ("a", 1)], dpo.SequencesOf(0).Select(s => (s.ProblemId, s.SampleIndex)));
    }

    [Fact]
    public void An_unknown_method_or_a_method_without_training_is_refused_by_name()
    {
        var unknown = Assert.Throws<ArgumentException>(() => TrainingPlan.Create(new StartPruningRun { RunId = "r", Method = new PruningMethod("telepathy") }, new TrainerSettings(), Samples));
        Assert.Contains("method: 'telepathy' is unknown; allowed: o1pruner, sft, dpo, fastprompt", unknown.Message);
        var fast = Assert.Throws<ArgumentException>(() => TrainingPlan.Create(new StartPruningRun { RunId = "r", Method = PruningMethod.FastPrompt }, new TrainerSettings(), Samples));
        Assert.Contains("fastprompt (Fast-solving prompt) needs no training", fast.Message);
    }
}
