namespace PrunerPipeline.Contracts;

/// <summary>
/// Command: start one pruning run. Every field has a default that works for the built-in model,
/// so a minimal body is <c>{"runId": "my-run"}</c>. The orchestrator validates every field and answers
/// <see cref="RunAccepted"/> or <see cref="RunRejected"/>.
/// <para>
/// These are the run's typed settings, parsed once: the accepted record travels in <see cref="RunAccepted"/>,
/// <see cref="TrainPolicy"/> and <see cref="EvaluateCheckpoint"/>, so no service reads runs/{id}/run.json back.
/// A new field = a property here with its default, plus one check in the orchestrator's RunValidator naming it.
/// </para>
/// </summary>
public record StartPruningRun
{
    /// <summary>Run id: 1–64 characters of [a-z0-9._-], starting with a letter or digit; it names blobs.</summary>
    public required string RunId { get; init; }
    public PruningMethod Method { get; init; } = PruningMethod.O1Pruner;
    /// <summary>"builtin" for the built-in long-thought model, or a checkpoint reference (artifact-store prefix or local folder).</summary>
    public string BaseModel { get; init; } = "builtin";
    /// <summary>"synthetic" (built-in task), "gsm8k" or "math".</summary>
    public string TrainingDataset { get; init; } = "synthetic";
    /// <summary>Any of "synthetic", "synthetic-validation" (the validation split, for tuning), "gsm8k", "math500", "gaokao2023en".</summary>
    public IReadOnlyList<string> EvaluationDatasets { get; init; } = ["synthetic"];
    /// <summary>How many training problems to sample from (0 = the whole split).</summary>
    public int TrainingProblems { get; init; } = 256;
    /// <summary>How many evaluation problems per dataset (0 = all).</summary>
    public int EvaluationProblems { get; init; } = 200;
    /// <summary>K: solutions pre-sampled per problem from the reference model.</summary>
    public int SamplesPerProblem { get; init; } = 16;
    /// <summary>How many of the K samples per problem go into training (0 = all K; the authors' code uses 2).</summary>
    public int TrainingSamplesPerProblem { get; init; } = 0;
    /// <summary>λ, the accuracy weight in R_LH.</summary>
    public double Lambda { get; init; } = 2.0;
    /// <summary>ε, the PPO clip range.</summary>
    public double ClipEpsilon { get; init; } = 0.2;
    /// <summary>
    /// "sequence" (the authors' released code: one ratio per solution, exp of the mean token log-ratio) or "token" (the
    /// paper's equation). Sequence is the default: a per-token clip at 1 ± ε caps how far the one token that decides
    /// "stop or re-check" can move, so on the built-in model token ratios shorten solutions by ~15 % where sequence ratios
    /// shorten them by ~50 % (README, Results).
    /// </summary>
    public RatioGranularity RatioGranularity { get; init; } = RatioGranularity.Sequence;
    /// <summary>
    /// How R_LH becomes the advantage Â: "raw" (Â = R_LH clipped to the trainer's [RewardClipMin, RewardClipMax], the
    /// paper's equation), "standardised" (then minus the mean, over the std, over the whole training set: the authors'
    /// code) or "batch" (standardised within each optimizer step). Raw is the default: standardising moves the zero point
    /// to the set's mean reward, which Jensen's gap (E[L̄/L] > 1) makes positive, so a solution exactly as long and as
    /// accurate as the reference's average is pushed down, its correct arithmetic with it.
    /// </summary>
    public AdvantageMode Advantage { get; init; } = AdvantageMode.Raw;
    public int Epochs { get; init; } = 2;
    /// <summary>Peak learning rate (warm-up, then cosine). 2e-4 over 2 epochs suits the 0.8 M-parameter built-in model; real models want far less.</summary>
    public double LearningRate { get; init; } = 2e-4;
    public int BatchSize { get; init; } = 16;
    /// <summary>
    /// Token limit per solution. Prompt + maxNewTokens must fit the base model's max_position_embeddings (512 for the
    /// built-in model, hence 384, as the demo uses); the orchestrator and the rollout worker reject runs that do not fit.
    /// </summary>
    public int MaxNewTokens { get; init; } = 384;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    /// <summary>Training problems per <see cref="GenerateRollouts"/> shard.</summary>
    public int ShardSize { get; init; } = 32;
    public int Seed { get; init; } = 1234;
    /// <summary>Null = full fine-tuning; else low-rank adapters on the frozen base, saved in PEFT layout (<see cref="AdapterSettings"/>).</summary>
    public AdapterSettings? Adapter { get; init; }
    /// <summary>
    /// Recompute each decoder layer's forward during backward, keeping only the layers' inputs. Null = on when keeping
    /// every layer's activations of the largest micro-batch would take 1 GiB or more (the memory plan's estimate from the
    /// model's config and the longest training sequence): on for real models, off for the built-in one.
    /// </summary>
    public bool? GradientCheckpointing { get; init; }
    /// <summary>
    /// Iterated O1-Pruner: how many rounds of pre-sample → score → train → evaluate (1 = the paper). Round r ≥ 2 is the
    /// run <c>{runId}.round{r}</c>, which the orchestrator starts itself: it re-samples K solutions per problem from round
    /// r−1's final checkpoint (the new π_ref, its log-probs recorded) and trains from that checkpoint.
    /// </summary>
    public int Rounds { get; init; } = 1;
    /// <summary>
    /// Round r ≥ 2's L̄_ref and Ā_ref: "previous" (from round r−1's own samples, the default) or "original" (the first
    /// round's, i.e. the original reference's, so every round is held to the original length and accuracy).
    /// </summary>
    public RoundBaseline Baseline { get; init; } = RoundBaseline.Previous;
    /// <summary>
    /// The model the evaluation compares with (the reference row, the length cut, AES); null = <see cref="BaseModel"/>.
    /// Rounds ≥ 2 set it to the first round's base model, so every round is reported against the original reference.
    /// </summary>
    public string? ReferenceModel { get; init; }
    /// <summary>
    /// A run whose scored reference samples give L̄_ref and Ā_ref per problem instead of this run's own samples (null = its
    /// own). It must have trained on the same problems in the same shards. Rounds ≥ 2 with <c>baseline: original</c> set it.
    /// </summary>
    public string? BaselineRun { get; init; }
    /// <summary>
    /// The reward each scored sample gets (<see cref="LengthRewardNames"/>): "rlh" (O1-Pruner's R_LH, the default), "none"
    /// (correctness only), "kimi" (Kimi k1.5's length penalty over the problem's K samples), "shorterbetter" (distance to the
    /// shortest correct sample), "l1max" (L1-Max's budget reward, needs <see cref="LengthTarget"/>) or "thinkprune" (0 past
    /// the length limit <see cref="LengthTarget"/>). Offline methods train on it with O1-Pruner's PPO-clip.
    /// </summary>
    public string LengthReward { get; init; } = LengthRewardNames.Rlh;
    /// <summary>Tokens: l1max's target length n_target, thinkprune's length limit; null for the other rewards.</summary>
    public int? LengthTarget { get; init; }
    /// <summary>
    /// Online runs with lengthReward l1max: ask each prompt for its target ("Think for maximum n tokens.", as L1 does; see
    /// <see cref="LengthTargetRange"/>). Null = on, except on the built-in synthetic task, whose 0.8M model never saw an
    /// instruction of that kind (asked with one it answered 3 % right instead of 72 %: docs/benchmarks.md).
    /// </summary>
    public bool? LengthTargetInPrompt { get; init; }

    /// <summary>
    /// Online methods (GRPO): policy updates. Update t samples G = <see cref="SamplesPerProblem"/> solutions for each of
    /// <see cref="ProblemsPerStep"/> problems from the current policy (version t−1; 0 = the base model), scores them,
    /// takes one PPO-clip step with group-normalised advantages and publishes version t as checkpoint step t.
    /// </summary>
    public int OnlineSteps { get; init; } = 16;
    /// <summary>Online methods: problems per policy update, taken in turn from a per-epoch shuffle of the training problems.</summary>
    public int ProblemsPerStep { get; init; } = 16;
    /// <summary>
    /// Online methods: how many versions a sample's policy may lag the one it trains (0 = strictly on-policy: update t+1's
    /// problems are sampled only once version t exists; 1 = they are sampled while update t trains). A sample beyond
    /// the bound is dropped and sampled again from the newest version.
    /// </summary>
    public int MaxStaleness { get; init; } = 1;
    /// <summary>Online methods: "standardised" (GRPO: (r − mean)/std per group) or "meanOnly" (Dr. GRPO: r − mean).</summary>
    public GroupNormalisation GroupNormalisation { get; init; } = GroupNormalisation.Standardised;
    /// <summary>ε_high of the clip range [1 − ε, 1 + ε_high] (DAPO's clip-higher, 0.28 there); null = <see cref="ClipEpsilon"/>.</summary>
    public double? ClipEpsilonHigh { get; init; }
    /// <summary>
    /// Online methods: β of GRPO's KL(π_θ ‖ π_ref) penalty to the base model (DeepSeekMath uses 0.04), per token with the
    /// k3 estimator; 0 = none (the default, as in DAPO and Dr. GRPO). When set, the rollout workers also record the base
    /// model's log-probs of every sample.
    /// </summary>
    public double KlCoefficient { get; init; }

    /// <summary>The model the evaluation compares with: <see cref="ReferenceModel"/>, else <see cref="BaseModel"/>.</summary>
    public string EvaluationReference() => ReferenceModel ?? BaseModel;
}
