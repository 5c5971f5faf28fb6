using PrunerPipeline.Datasets;
using PrunerPipeline.EvalService;
using PrunerPipeline.EvalService.Evaluation;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.Orchestrator;
using PrunerPipeline.RewardService;
using PrunerPipeline.RolloutService;
using PrunerPipeline.Services.Tests.Eval;
using PrunerPipeline.Services.Tests.Trainer;
using PrunerPipeline.TrainerService;
using PrunerPipeline.TrainerService.Policies;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Services.Tests.Methods;

/// <summary>
/// The whole pipeline on MassTransit's test harness — the real orchestrator (validation, saga), rollout, reward,
/// trainer and evaluation consumers over an on-disk store — with stand-ins only for the models: a sampler that
/// answers the synthetic training problems right or wrong at known lengths, a bigram policy for the trainer, and a
/// scripted generator for evaluation. The method registry is the default one plus <see cref="ShortestCorrectSftMethod"/>.
/// </summary>
internal sealed class MethodPipelineHarness : BusHarness
{

    private MethodPipelineHarness(TemporaryFolder folder, ServiceProvider provider)
        : base(folder, provider)
    {
        Methods = provider.GetRequiredService<MethodRegistry>();
    }

    public MethodRegistry Methods { get; }

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public static async Task<MethodPipelineHarness> StartAsync()
    {
        var folder = new TemporaryFolder("methods");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Artifacts:Root"] = Path.Combine(folder.Path, "store"),
            ["Models:CacheRoot"] = Path.Combine(folder.Path, "models"),
            ["Trainer:WorkRoot"] = Path.Combine(folder.Path, "trainer"),
            ["Trainer:ProgressIntervalSeconds"] = "0",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(SilentLogging.Factory)
            .AddPrunerArtifacts(configuration);
        // The one registration line a new method needs (here: a test's throw-away method).
        services.AddSingleton(MethodRegistry.Default.With(new ShortestCorrectSftMethod()));
        services.AddSingleton<IRolloutSampler>(new GoldAnswerSampler());
        services.AddSingleton<IPolicyLoader>(new BigramPolicyLoader());
        services.AddSingleton<ISolutionGenerator>(new ScriptedSolutionGenerator(EvalHarness.TestProblems()));
        services.AddOrchestrator().AddRolloutService().AddRewardService().AddTrainerService().AddEvalService();
        services.AddMassTransitTestHarness(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddOrchestratorConsumers().AddRolloutConsumers().AddRewardConsumers().AddTrainerConsumers().AddEvalConsumers();
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.UsePrunerRetry(new BusOptions { RetryLimit = 1, RetryMinIntervalMilliseconds = 50, RetryMaxIntervalMilliseconds = 100 });
                cfg.ConfigureEndpoints(context);
            });
        });
        var provider = services.BuildServiceProvider(validateScopes: true);
        LogContext.ConfigureCurrentLogContext(SilentLogging.Factory);
        var harness = new MethodPipelineHarness(folder, provider);
        harness.Harness.TestTimeout = TimeSpan.FromMinutes(2);
        await harness.Harness.Start();

        // The base model: a bigram policy for the trainer; evaluation only fingerprints its files.
        var model = Path.Combine(folder.Path, "builtin");
        new BigramPolicy(null).Save(model);
        await harness.Store.UploadFolderAsync(ArtifactLayout.BuiltinModel, model, CancellationToken.None);
        return harness;
    }

    /// <summary>Per problem: sample 0 right in 3 tokens, sample 1 right in 6, sample 2 wrong in 4 (so SFT, DPO and R_LH all have data).</summary>
    private sealed class GoldAnswerSampler : IRolloutSampler
    {
        public IReadOnlyList<RolloutSample> Sample(string modelFolder, IReadOnlyList<RolloutPromptSet> problems, RolloutSamplingSettings settings,
            Action<RolloutProgress>? progress, CancellationToken ct)
        {
            var gold = DatasetCatalog.Find("synthetic", problems.Select(p => p.ProblemId)).ToDictionary(p => p.Id, p => p.Answer);
            var samples = problems.SelectMany(p => Enumerable.Range(0, settings.SamplesPerProblem).Select(k =>
            {
                var (length, right) = (k % 3) switch { 0 => (3, true), 1 => (6, true), _ => (4, false) };
                return RolloutSamples.Create(p.ProblemId, k, $"\\boxed{{{(right ? gold[p.ProblemId] : "-1")}}}", length) with
                {
                    TokenIds = Enumerable.Range(1, length).Select(t => (t * 7 + k) % BigramPolicy.Vocabulary).ToArray(),
                };
            })).ToList();
            progress?.Invoke(new RolloutProgress(problems.Count, problems.Count, samples.Count, samples.Count, samples.Sum(s => s.Length), TimeSpan.FromSeconds(1)));
            return samples;
        }
    }
}
