using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Orchestrator.Tests.Validation;

public sealed class When_a_start_request_is_validated : ValidatorTest
{
    public When_a_start_request_is_validated() : base("validation")
    {
        var store = new FileSystemArtifactStore(Folder.Path);
        store.WriteTextAsync("models/builtin/config.json", "{}", CancellationToken.None).GetAwaiter().GetResult();
        store.WriteTextAsync("runs/earlier/checkpoints/step-000004/config.json", "{}", CancellationToken.None).GetAwaiter().GetResult();
        Validator = ValidatorOver(store);
    }

    [Fact]
    public async Task The_defaults_are_valid()
    {
        Assert.Empty(await Validator.ValidateAsync(new StartPruningRun { RunId = "defaults" }, CancellationToken.None));
    }

    [Fact]
    public async Task A_checkpoint_of_an_earlier_run_is_a_valid_base_model()
    {
        Assert.Empty(await Validator.ValidateAsync(new StartPruningRun { RunId = "second", BaseModel = "runs/earlier/checkpoints/step-000004" }, CancellationToken.None));
    }

    private static readonly StartPruningRun Grpo = new() { RunId = "r", Method = GrpoMethod.MethodKey };

    [Fact]
    public async Task A_grpo_run_with_its_defaults_is_valid()
    {
        Assert.Empty(await Validator.ValidateAsync(Grpo, CancellationToken.None));
    }

    public static TheoryData<string, StartPruningRun> BadFields => new()
    {
        { "samplesPerProblem: 1000000000; allowed: 1 to 1024", new StartPruningRun { RunId = "r", SamplesPerProblem = 1_000_000_000 } },
        { "samplesPerProblem: -3", new StartPruningRun { RunId = "r", SamplesPerProblem = -3 } },
        { "trainingSamplesPerProblem: 20; allowed: 0 (all K) to samplesPerProblem (16)", new StartPruningRun { RunId = "r", TrainingSamplesPerProblem = 20 } },
        { "lambda: NaN", new StartPruningRun { RunId = "r", Lambda = double.NaN } },
        { "clipEpsilon: 0;", new StartPruningRun { RunId = "r", ClipEpsilon = 0 } },
        { "ratioGranularity: '7' is unknown; allowed: token, sequence", new StartPruningRun { RunId = "r", RatioGranularity = (RatioGranularity)7 } },
        { "advantage: '9' is unknown; allowed: raw, standardised, batch", new StartPruningRun { RunId = "r", Advantage = (AdvantageMode)9 } },
        { "epochs: 0; allowed: 1 to 100", new StartPruningRun { RunId = "r", Epochs = 0 } },
        { "learningRate: 0; allowed: greater than 0, at most 1", new StartPruningRun { RunId = "r", LearningRate = 0 } },
        { "batchSize: 100000; allowed: 1 to 4096", new StartPruningRun { RunId = "r", BatchSize = 100_000 } },
        { "maxNewTokens: 0; allowed: 1 to 32768", new StartPruningRun { RunId = "r", MaxNewTokens = 0 } },
        { "temperature: -1; allowed: 0 (greedy) to 5", new StartPruningRun { RunId = "r", Temperature = -1 } },
        { "topP: 0; allowed: greater than 0, at most 1", new StartPruningRun { RunId = "r", TopP = 0 } },
        { "shardSize: 0; allowed: 1 to 10000", new StartPruningRun { RunId = "r", ShardSize = 0 } },
        { "trainingProblems: 1000000000; allowed: 0 (the whole split) to 100000", new StartPruningRun { RunId = "r", TrainingProblems = 1_000_000_000 } },
        { "evaluationProblems: -1", new StartPruningRun { RunId = "r", EvaluationProblems = -1 } },
        { "evaluationDatasets: must name at least one dataset", new StartPruningRun { RunId = "r", EvaluationDatasets = [] } },
        { "evaluationDatasets: 2 entries; allowed: 1-8 distinct names", new StartPruningRun { RunId = "r", EvaluationDatasets = ["gsm8k", "gsm8k"] } },
        { "method: 'telepathy' is unknown; allowed: o1pruner, sft, dpo, fastprompt, grpo", new StartPruningRun { RunId = "r", Method = new PruningMethod("Telepathy") } },
        { "baseModel: must not be empty", new StartPruningRun { RunId = "r", BaseModel = " " } },
        { "baseModel: '../../etc' is not a valid reference", new StartPruningRun { RunId = "r", BaseModel = "../../etc" } },
        { "trainingDataset: 'gsm8k' has no training problems on this machine", new StartPruningRun { RunId = "r", TrainingDataset = "gsm8k" } },
        { "runId: 'x/../y' is not allowed", new StartPruningRun { RunId = "x/../y" } },
        { "runId: '..' is not allowed", new StartPruningRun { RunId = ".." } },
        { "runId: must not be empty", new StartPruningRun { RunId = null! } },
        { "adapter.type: 'ia3' is unknown; allowed: lora", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Type = "ia3" } } },
        { "adapter.rank: 0; allowed: 1 to 1024", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Rank = 0 } } },
        { "adapter.rank: -4", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Rank = -4 } } },
        { "adapter.alpha: 0; allowed: greater than 0", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Alpha = 0 } } },
        { "adapter.alpha: NaN", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Alpha = double.NaN } } },
        { "adapter.dropout: 1; allowed: 0 to less than 1", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Dropout = 1 } } },
        { "adapter.targets: 'qkv_proj' is not a projection of the decoder; allowed: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj",
            new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Targets = ["q_proj", "qkv_proj"] } } },
        { "adapter.targets: must name at least one projection", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Targets = [] } } },
        { "adapter.targets: must name at least one projection", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Targets = null! } } },
        { "adapter.targets: a projection is named twice", new StartPruningRun { RunId = "r", Adapter = new AdapterSettings { Targets = ["v_proj", "v_proj"] } } },
        { "onlineSteps: 0; allowed: 1 to 10000 policy updates", Grpo with { OnlineSteps = 0 } },
        { "problemsPerStep: -1; allowed: 1 to 100000", Grpo with { ProblemsPerStep = -1 } },
        { "maxStaleness: 9; allowed: 0 (strictly on-policy) to 8 policy versions", Grpo with { MaxStaleness = 9 } },
        { "samplesPerProblem: 1 for method grpo; allowed: at least 2 (G, the group its advantages compare within)", Grpo with { SamplesPerProblem = 1 } },
        { "rounds: 3 for method grpo, which is online already; allowed: 1", Grpo with { Rounds = 3 } },
        { "adapter: set for method grpo; allowed: null", Grpo with { Adapter = new AdapterSettings() } },
        { "groupNormalisation: '5' is unknown; allowed: standardised, meanOnly", Grpo with { GroupNormalisation = (GroupNormalisation)5 } },
        { "clipEpsilonHigh: -0.1; allowed: greater than 0 and less than 10", Grpo with { ClipEpsilonHigh = -0.1 } },
        { "klCoefficient: -0.01; allowed: 0 (no KL penalty) to 10", Grpo with { KlCoefficient = -0.01 } },
        { "klCoefficient: NaN", Grpo with { KlCoefficient = double.NaN } },
        { "lengthTargetInPrompt: set for lengthReward rlh; allowed: only with l1max", Grpo with { LengthTargetInPrompt = false } },
        { "lengthTargetInPrompt: set for method o1pruner (O1-Pruner), which is offline", new StartPruningRun { RunId = "r", LengthReward = "l1max", LengthTarget = 32, LengthTargetInPrompt = true } },
        { "klCoefficient: set for method o1pruner (O1-Pruner), which is offline", new StartPruningRun { RunId = "r", KlCoefficient = 0.04 } },
        { "onlineSteps: 10000 updates × 1000 problems × G 16 samples; allowed: at most 10000000", Grpo with { OnlineSteps = 10_000, ProblemsPerStep = 1000 } },
        { "maxStaleness: set for method o1pruner (O1-Pruner), which is offline; allowed: only with an online method (grpo)", new StartPruningRun { RunId = "r", MaxStaleness = 0 } },
        { "baseModel: 'runs/none/checkpoints/step-000001' is unknown: no runs/none/checkpoints/step-000001/config.json", new StartPruningRun { RunId = "r", BaseModel = "runs/none/checkpoints/step-000001" } },
    };

    [Fact]
    public async Task A_lora_adapter_and_an_adapter_checkpoint_as_base_model_are_valid()
    {
        await new FileSystemArtifactStore(Folder.Path).WriteTextAsync("runs/lora/checkpoints/step-000002/adapter_config.json", "{}", CancellationToken.None);
        var run = new StartPruningRun
        {
            RunId = "on-adapter",
            BaseModel = "runs/lora/checkpoints/step-000002",
            Adapter = new AdapterSettings { Rank = 8, Alpha = 16, Dropout = 0.05, Targets = ["q_proj", "v_proj"] },
            GradientCheckpointing = true,
        };
        Assert.Empty(await Validator.ValidateAsync(run, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Each_bad_field_gets_exactly_one_reason_naming_it(string expectedStart, StartPruningRun run)
    {
        var reasons = await Validator.ValidateAsync(run, CancellationToken.None);

        var reason = Assert.Single(reasons);
        Assert.StartsWith(expectedStart, reason);
    }

    [Fact]
    public async Task Too_many_samples_in_total_are_rejected_even_when_each_number_is_allowed()
    {
        var big = ValidatorOver(new FileSystemArtifactStore(Folder.Path), syntheticProblems: 100_000);

        var reasons = await big.ValidateAsync(new StartPruningRun { RunId = "big", TrainingProblems = 0, SamplesPerProblem = 1024 }, CancellationToken.None);

        Assert.Equal("samplesPerProblem: 100000 problems × K 1024 = 102400000 samples; allowed: at most 10000000 in one run", Assert.Single(reasons));
    }


    [Theory]
    [InlineData("""{"runId": "r", "ratioGranularity": "word"}""", "ratioGranularity")]
    [InlineData("""{"runId": "r", "advantage": "normalized"}""", "advantage")]
    [InlineData("""{"runId": "r", "method": 99}""", "method")]
    public void A_setting_outside_its_enum_does_not_parse_and_the_error_names_the_field(string json, string field)
    {
        var error = Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<StartPruningRun>(json, ArtifactStoreExtensions.JsonOptions));

        Assert.Contains(field, error.Message);
    }

    [Theory]
    [InlineData("O1Pruner", "o1pruner")]
    [InlineData("o1-pruner", "o1pruner")]
    [InlineData("FastPrompt", "fastprompt")]
    [InlineData("Dpo", "dpo")]
    public void Todays_method_spellings_still_read(string spelling, string key)
    {
        var run = System.Text.Json.JsonSerializer.Deserialize<StartPruningRun>($$"""{"runId": "r", "method": "{{spelling}}", "ratioGranularity": "Token", "advantage": "standardised"}""", ArtifactStoreExtensions.JsonOptions)!;

        Assert.Equal(key, run.Method.Key);
        Assert.NotNull(MethodRegistry.Default.Find(run.Method));
        Assert.Equal(RatioGranularity.Token, run.RatioGranularity);
        Assert.Equal(AdvantageMode.Standardised, run.Advantage);
    }
}
