using System.Globalization;
using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Orchestrator.Problems;
using PrunerPipeline.Orchestrator.Sharding;
using PrunerPipeline.Training.Methods;
using static PrunerPipeline.Orchestrator.Validation.RunLimits;

namespace PrunerPipeline.Orchestrator.Validation;

/// <summary>
/// Checks every field of a <see cref="StartPruningRun"/> and returns one reason per bad field, each naming the field
/// and what is allowed. Input may come from a hand-written JSON body, so nulls and absurd numbers are expected.
/// Methods are the registry's; enum settings arrive parsed (an unknown name fails deserialization, naming the field).
/// </summary>
public sealed class RunValidator(IProblemSource problems, IArtifactStore store, MethodRegistry methods, ModelLocator? models = null)
{
    public static readonly string[] AdapterTypes = ["lora"];
    public static readonly string[] AdapterTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public async Task<IReadOnlyList<string>> ValidateAsync(StartPruningRun run, CancellationToken ct)
    {
        var reasons = new List<string>();
        void Check(bool ok, string reason)
        {
            if (!ok)
            {
                reasons.Add(reason);
            }
        }

        if (ArtifactName.CheckRunId(run.RunId) is { } runIdProblem)
        {
            reasons.Add(runIdProblem);
        }
        Check(methods.Find(run.Method) is not null, $"method: '{Show(run.Method.Key)}' is unknown; allowed: {methods.Allowed}");

        var trainingSets = problems.TrainingDatasets;
        var evaluationSets = problems.EvaluationDatasets;
        var trainingKnown = run.TrainingDataset is not null && trainingSets.Contains(run.TrainingDataset);
        Check(trainingKnown, $"trainingDataset: '{Show(run.TrainingDataset)}' is unknown; allowed: {string.Join(", ", trainingSets)}");
        if (run.EvaluationDatasets is null || run.EvaluationDatasets.Count == 0)
        {
            reasons.Add($"evaluationDatasets: must name at least one dataset; allowed: {string.Join(", ", evaluationSets)}");
        }
        else
        {
            foreach (var name in run.EvaluationDatasets.Where(n => n is null || !evaluationSets.Contains(n)).Distinct())
            {
                reasons.Add($"evaluationDatasets: '{Show(name)}' is unknown; allowed: {string.Join(", ", evaluationSets)}");
            }
            Check(run.EvaluationDatasets.Count <= MaxEvaluationDatasets && run.EvaluationDatasets.Distinct().Count() == run.EvaluationDatasets.Count,
                $"evaluationDatasets: {run.EvaluationDatasets.Count} entries; allowed: 1-{MaxEvaluationDatasets} distinct names");
        }

        Check(run.TrainingProblems is >= 0 and <= MaxProblems, $"trainingProblems: {run.TrainingProblems}; allowed: 0 (the whole split) to {MaxProblems}");
        Check(run.EvaluationProblems is >= 0 and <= MaxProblems, $"evaluationProblems: {run.EvaluationProblems}; allowed: 0 (all) to {MaxProblems}");
        Check(run.SamplesPerProblem is >= 1 and <= MaxSamplesPerProblem, $"samplesPerProblem: {run.SamplesPerProblem}; allowed: 1 to {MaxSamplesPerProblem} (K, solutions pre-sampled per problem)");
        Check(run.TrainingSamplesPerProblem >= 0 && run.TrainingSamplesPerProblem <= Math.Max(1, run.SamplesPerProblem),
            $"trainingSamplesPerProblem: {run.TrainingSamplesPerProblem}; allowed: 0 (all K) to samplesPerProblem ({run.SamplesPerProblem})");
        Check(double.IsFinite(run.Lambda) && run.Lambda is >= 0 and <= MaxLambda, $"lambda: {Num(run.Lambda)}; allowed: 0 to {MaxLambda} (the paper's best is 2)");
        Check(double.IsFinite(run.ClipEpsilon) && run.ClipEpsilon is > 0 and < 1, $"clipEpsilon: {Num(run.ClipEpsilon)}; allowed: greater than 0 and less than 1 (usually 0.2)");
        Check(Enum.IsDefined(run.RatioGranularity),
            $"ratioGranularity: '{(int)run.RatioGranularity}' is unknown; allowed: {string.Join(", ", SettingNames.All<RatioGranularity>())}");
        Check(Enum.IsDefined(run.Advantage),
            $"advantage: '{(int)run.Advantage}' is unknown; allowed: {string.Join(", ", SettingNames.All<AdvantageMode>())}");
        Check(run.Epochs is >= 1 and <= MaxEpochs, $"epochs: {run.Epochs}; allowed: 1 to {MaxEpochs}");
        Check(double.IsFinite(run.LearningRate) && run.LearningRate is > 0 and <= 1, $"learningRate: {Num(run.LearningRate)}; allowed: greater than 0, at most 1");
        Check(run.BatchSize is >= 1 and <= MaxBatchSize, $"batchSize: {run.BatchSize}; allowed: 1 to {MaxBatchSize}");
        Check(run.MaxNewTokens is >= 1 and <= RunLimits.MaxNewTokens, $"maxNewTokens: {run.MaxNewTokens}; allowed: 1 to {RunLimits.MaxNewTokens}");
        Check(double.IsFinite(run.Temperature) && run.Temperature is >= 0 and <= MaxTemperature, $"temperature: {Num(run.Temperature)}; allowed: 0 (greedy) to {MaxTemperature}");
        Check(double.IsFinite(run.TopP) && run.TopP is > 0 and <= 1, $"topP: {Num(run.TopP)}; allowed: greater than 0, at most 1");
        Check(run.ShardSize is >= 1 and <= MaxShardSize, $"shardSize: {run.ShardSize}; allowed: 1 to {MaxShardSize} problems per shard");

        if (trainingKnown && run.TrainingProblems is >= 0 and <= MaxProblems && run.SamplesPerProblem is >= 1 and <= MaxSamplesPerProblem)
        {
            var available = problems.TrainingProblemIds(run.TrainingDataset!).Count;
            Check(available > 0, $"trainingDataset: '{run.TrainingDataset}' has no training problems on this machine");
            var used = run.TrainingProblems == 0 ? available : Math.Min(available, run.TrainingProblems);
            Check((long)used * run.SamplesPerProblem <= MaxTotalSamples,
                $"samplesPerProblem: {used} problems × K {run.SamplesPerProblem} = {(long)used * run.SamplesPerProblem} samples; allowed: at most {MaxTotalSamples} in one run");
        }

        if (run.Adapter is not null)
        {
            CheckAdapter(run.Adapter, reasons);
        }
        CheckRounds(run, reasons);
        CheckOnline(run, reasons);
        CheckLengthReward(run, reasons);

        await CheckModelAsync("baseModel", run.BaseModel, reasons, ct);
        if (run.ReferenceModel is not null)
        {
            await CheckModelAsync("referenceModel", run.ReferenceModel, reasons, ct);
        }
        if (run.BaselineRun is not null && trainingKnown && reasons.Count == 0)
        {
            await CheckBaselineRunAsync(run, reasons, ct);
        }
        if (ModelPositionLimit.Check(run.MaxNewTokens, await ModelPositionLimit.ReadAsync(store, run.BaseModel, ct), run.BaseModel) is { } tooLong)
        {
            reasons.Add(tooLong);
        }
        return reasons;
    }

    /// <summary>Iterated rounds: a method that samples and trains, a run id that leaves room for ".round{r}", no adapter (yet).</summary>
    private void CheckRounds(StartPruningRun run, List<string> reasons)
    {
        if (run.Rounds is < 1 or > MaxRounds)
        {
            reasons.Add($"rounds: {run.Rounds}; allowed: 1 (the paper) to {MaxRounds}");
            return;
        }
        if (!Enum.IsDefined(run.Baseline))
        {
            reasons.Add($"baseline: '{(int)run.Baseline}' is unknown; allowed: {string.Join(", ", SettingNames.All<RoundBaseline>())}");
        }
        if (run.Rounds == 1)
        {
            return;
        }
        if (methods.Find(run.Method) is { } method && !(method.Samples && method.Trains))
        {
            reasons.Add($"rounds: {run.Rounds} for method {run.Method} ({method.Name}), which does not sample and train; allowed: 1");
        }
        if (run.RunId is { } id && id.Length > ArtifactName.MaxRunIdLength - RoundRuns.SuffixLength)
        {
            reasons.Add($"runId: {id.Length} characters with rounds {run.Rounds}; allowed: at most {ArtifactName.MaxRunIdLength - RoundRuns.SuffixLength} (round r runs as '{{runId}}.round{{r}}')");
        }
        if (run.Adapter is not null)
        {
            reasons.Add($"rounds: {run.Rounds} with an adapter; allowed: 1 (iterating adapters is not supported: merge one with `pruner model merge` and start the next run from it)");
        }
    }

    /// <summary>An online method's update settings; the same fields changed for an offline method are a mistake worth naming.</summary>
    private void CheckOnline(StartPruningRun run, List<string> reasons)
    {
        if (run.ClipEpsilonHigh is { } high && !(double.IsFinite(high) && high is > 0 and < MaxClipEpsilonHigh))
        {
            reasons.Add($"clipEpsilonHigh: {Num(high)}; allowed: greater than 0 and less than {MaxClipEpsilonHigh} (DAPO uses 0.28), or null for clipEpsilon");
        }
        if (!Enum.IsDefined(run.GroupNormalisation))
        {
            reasons.Add($"groupNormalisation: '{(int)run.GroupNormalisation}' is unknown; allowed: {string.Join(", ", SettingNames.All<GroupNormalisation>())}");
        }
        if (methods.Find(run.Method) is not { } method)
        {
            return;
        }
        if (!method.Online)
        {
            var defaults = new StartPruningRun { RunId = "defaults" };
            foreach (var (field, changed) in new[]
            {
                ("onlineSteps", run.OnlineSteps != defaults.OnlineSteps),
                ("problemsPerStep", run.ProblemsPerStep != defaults.ProblemsPerStep),
                ("maxStaleness", run.MaxStaleness != defaults.MaxStaleness),
                ("groupNormalisation", run.GroupNormalisation != defaults.GroupNormalisation),
                ("klCoefficient", !run.KlCoefficient.Equals(defaults.KlCoefficient)),
                ("lengthTargetInPrompt", run.LengthTargetInPrompt is not null),
            }.Where(f => f.Item2))
            {
                reasons.Add($"{field}: set for method {run.Method} ({method.Name}), which is offline; allowed: only with an online method ({string.Join(", ", methods.All.Where(m => m.Online).Select(m => m.Key.Key))})");
            }
            return;
        }
        Check(run.OnlineSteps is >= 1 and <= MaxOnlineSteps, $"onlineSteps: {run.OnlineSteps}; allowed: 1 to {MaxOnlineSteps} policy updates");
        Check(run.ProblemsPerStep is >= 1 and <= MaxProblems, $"problemsPerStep: {run.ProblemsPerStep}; allowed: 1 to {MaxProblems}");
        Check(run.MaxStaleness is >= 0 and <= MaxStalenessLimit, $"maxStaleness: {run.MaxStaleness}; allowed: 0 (strictly on-policy) to {MaxStalenessLimit} policy versions");
        Check(double.IsFinite(run.KlCoefficient) && run.KlCoefficient is >= 0 and <= MaxKlCoefficient,
            $"klCoefficient: {Num(run.KlCoefficient)}; allowed: 0 (no KL penalty) to {MaxKlCoefficient} (DeepSeekMath's GRPO uses 0.04)");
        Check(run.SamplesPerProblem >= 2, $"samplesPerProblem: {run.SamplesPerProblem} for method {run.Method}; allowed: at least 2 (G, the group its advantages compare within)");
        Check(run.Rounds == 1, $"rounds: {run.Rounds} for method {run.Method}, which is online already; allowed: 1");
        Check(run.Adapter is null, $"adapter: set for method {run.Method}; allowed: null (online updates of an adapter are not supported yet: full fine-tuning only)");
        Check((long)run.OnlineSteps * run.ProblemsPerStep * run.SamplesPerProblem <= MaxTotalSamples,
            $"onlineSteps: {run.OnlineSteps} updates × {run.ProblemsPerStep} problems × G {run.SamplesPerProblem} samples; allowed: at most {MaxTotalSamples} in one run");

        void Check(bool ok, string reason)
        {
            if (!ok)
            {
                reasons.Add(reason);
            }
        }
    }

    private static void CheckLengthReward(StartPruningRun run, List<string> reasons)
    {
        if (run.LengthReward is null || !LengthRewardNames.All.Contains(run.LengthReward))
        {
            reasons.Add($"lengthReward: '{Show(run.LengthReward)}' is unknown; allowed: {string.Join(", ", LengthRewardNames.All)}");
            return;
        }
        var needsTarget = LengthRewardNames.NeedingTarget.Contains(run.LengthReward);
        if (needsTarget && run.LengthTarget is not (>= 1 and <= RunLimits.MaxNewTokens))
        {
            reasons.Add($"lengthTarget: {(run.LengthTarget is { } t ? t.ToString(CultureInfo.InvariantCulture) : "missing")} for lengthReward {run.LengthReward}; allowed: 1 to {RunLimits.MaxNewTokens} tokens (its target length / length limit)");
        }
        if (!needsTarget && run.LengthTarget is not null)
        {
            reasons.Add($"lengthTarget: {run.LengthTarget} is not used by lengthReward {run.LengthReward}; allowed: only with {string.Join(" or ", LengthRewardNames.NeedingTarget)}");
        }
        if (run.LengthTargetInPrompt is not null && run.LengthReward != LengthRewardNames.L1Max)
        {
            reasons.Add($"lengthTargetInPrompt: set for lengthReward {run.LengthReward}; allowed: only with {LengthRewardNames.L1Max}");
        }
    }

    /// <summary>The baseline run must have stored a shard plan with exactly this run's problems in the same shards.</summary>
    private async Task CheckBaselineRunAsync(StartPruningRun run, List<string> reasons, CancellationToken ct)
    {
        if (ArtifactName.CheckRunId(run.BaselineRun) is { } problem)
        {
            reasons.Add($"baselineRun: {problem.Replace("runId", "baselineRun", StringComparison.Ordinal)}");
            return;
        }
        var stored = await store.ReadJsonAsync<ShardPlan>(ArtifactLayout.ShardPlan(run.BaselineRun!), ct);
        if (stored is null)
        {
            reasons.Add($"baselineRun: '{run.BaselineRun}' has no shard plan in the artifact store; allowed: a run that pre-sampled and scored its samples");
            return;
        }
        if (methods.Find(run.Method) is { Online: true })
        {
            // An online run reads its baselines by problem id from any of the baseline run's shards: its problems must all be there.
            var online = ShardPlanner.PlanOnline(run, problems.TrainingProblemIds(run.TrainingDataset));
            var missing = online.Shards.SelectMany(s => s).Distinct().Except(stored.Shards.SelectMany(s => s)).ToList();
            if (stored.Dataset != online.Dataset || missing.Count > 0)
            {
                reasons.Add($"baselineRun: '{run.BaselineRun}' pre-sampled {stored.Problems} problems of {stored.Dataset}; this run trains on {online.Problems} of {online.Dataset}, {missing.Count} of them not pre-sampled there; allowed: a run with the same trainingDataset, trainingProblems and seed");
            }
            return;
        }
        var plan = ShardPlanner.Plan(run, problems.TrainingProblemIds(run.TrainingDataset));
        if (stored.Dataset != plan.Dataset || stored.Shards.Count != plan.Shards.Count || stored.Shards.Zip(plan.Shards).Any(p => !p.First.SequenceEqual(p.Second)))
        {
            reasons.Add($"baselineRun: '{run.BaselineRun}' sampled other problems or sharded them otherwise ({stored.Problems} problems in {stored.Shards.Count} shards of {stored.Dataset}; this run: {plan.Problems} in {plan.Shards.Count} of {plan.Dataset}); allowed: a run with the same trainingDataset, trainingProblems, shardSize and seed");
        }
    }

    private static void CheckAdapter(AdapterSettings adapter, List<string> reasons)
    {
        if (adapter.Type is null || !AdapterTypes.Contains(adapter.Type))
        {
            reasons.Add($"adapter.type: '{Show(adapter.Type)}' is unknown; allowed: {string.Join(", ", AdapterTypes)}");
        }
        if (adapter.Rank is < 1 or > MaxAdapterRank)
        {
            reasons.Add($"adapter.rank: {adapter.Rank}; allowed: 1 to {MaxAdapterRank}");
        }
        if (!double.IsFinite(adapter.Alpha) || adapter.Alpha <= 0 || adapter.Alpha > MaxAdapterAlpha)
        {
            reasons.Add($"adapter.alpha: {Num(adapter.Alpha)}; allowed: greater than 0, at most {MaxAdapterAlpha} (the update is scaled by alpha / rank)");
        }
        if (!double.IsFinite(adapter.Dropout) || adapter.Dropout is < 0 or >= 1)
        {
            reasons.Add($"adapter.dropout: {Num(adapter.Dropout)}; allowed: 0 to less than 1");
        }
        if (adapter.Targets is null || adapter.Targets.Count == 0)
        {
            reasons.Add($"adapter.targets: must name at least one projection; allowed: {string.Join(", ", AdapterTargets)}");
            return;
        }
        foreach (var target in adapter.Targets.Where(t => t is null || !AdapterTargets.Contains(t)).Distinct())
        {
            reasons.Add($"adapter.targets: '{Show(target)}' is not a projection of the decoder; allowed: {string.Join(", ", AdapterTargets)}");
        }
        if (adapter.Targets.Distinct().Count() != adapter.Targets.Count)
        {
            reasons.Add("adapter.targets: a projection is named twice; name each at most once");
        }
    }

    private async Task CheckModelAsync(string field, string? model, List<string> reasons, CancellationToken ct)
    {
        const string allowed = "allowed: 'builtin', an artifact-store prefix holding config.json or a PEFT adapter (e.g. runs/<run>/checkpoints/step-000010), " +
            "hf:org/name[@revision] from the Hugging Face hub cache, or a local folder holding either (a model folder, a hub-cache snapshot or models--org--name folder) inside Models:AllowedRoots";
        if (string.IsNullOrWhiteSpace(model))
        {
            reasons.Add($"{field}: must not be empty; {allowed}");
            return;
        }
        if (models is not null && ModelLocator.IsLocalReference(model))
        {
            if (models.Problem(model) is { } unresolved)
            {
                // Our own sentence around the user's value: control characters masked, not clipped (it names where we looked).
                reasons.Add($"{field}: {new string(unresolved.Select(c => char.IsControl(c) ? '?' : c).ToArray())}; {allowed}");
            }
            return;
        }
        if (ModelLocator.IsLocalFolder(model))
        {
            if (!File.Exists(Path.Combine(model, "config.json")) && !File.Exists(Path.Combine(model, AdapterConfigFile)))
            {
                reasons.Add($"{field}: local folder '{Show(model)}' has no config.json (nor a PEFT adapter_config.json); {allowed}");
            }
            return;
        }
        var prefix = ModelLocator.PrefixOf(model);
        if (ArtifactName.Check(prefix) is { } problem)
        {
            reasons.Add($"{field}: '{Show(model)}' is not a valid reference ({problem}); {allowed}");
            return;
        }
        if (!await store.ExistsAsync($"{prefix}/config.json", ct) && !await store.ExistsAsync($"{prefix}/{AdapterConfigFile}", ct))
        {
            reasons.Add($"{field}: '{Show(model)}' is unknown: no {prefix}/config.json in the artifact store; {allowed}");
        }
    }

    /// <summary>A PEFT adapter folder is a model too: its base is named inside (base_model_name_or_path).</summary>
    private const string AdapterConfigFile = "adapter_config.json";

    private static string Show(string? value) => value is null ? "(null)" : ArtifactName.Printable(value);

    private static string Num(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
