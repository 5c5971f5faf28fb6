namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// Every length reward an online run can use, by key. A new reward is one file implementing <see cref="ILengthReward"/>
/// plus one line in <see cref="Factories"/>.
/// </summary>
public static class LengthRewardRegistry
{
    private static readonly (string Key, Func<LengthRewardOptions, ILengthReward> Create)[] Factories =
    [
        (CorrectnessReward.RegistryKey, _ => new CorrectnessReward()),
        (KimiLengthReward.RegistryKey, o => new KimiLengthReward(o.KimiLengthWeight)),
        (ShorterBetterReward.RegistryKey, o => new ShorterBetterReward(o.ShorterBetterAlpha, o.ShorterBetterBeta)),
        (L1MaxReward.RegistryKey, o => new L1MaxReward(o.L1Alpha, o.L1Delta, o.L1TargetLength)),
        (ThinkPruneReward.RegistryKey, o => new ThinkPruneReward(o.ThinkPruneSchedule
            ?? throw new ArgumentException($"{ThinkPruneReward.RegistryKey} needs a {nameof(LengthRewardOptions.ThinkPruneSchedule)}", nameof(LengthRewardOptions.ThinkPruneSchedule)))),
        (LengthHarmonizingGroupReward.RegistryKey, o => new LengthHarmonizingGroupReward(o.RlhLambda)),
    ];

    /// <summary>The keys in registration order.</summary>
    public static IReadOnlyList<string> Keys { get; } = Factories.Select(f => f.Key).ToArray();

    /// <summary>The keys, comma-separated: the "allowed" part of an error message.</summary>
    public static string Allowed { get; } = string.Join(", ", Keys);

    public static bool IsKnown(string key) => Factories.Any(f => f.Key == key);

    /// <summary>
    /// The reward named <paramref name="key"/> with <paramref name="options"/> (validated first), or an
    /// <see cref="ArgumentException"/> naming the allowed keys.
    /// </summary>
    public static ILengthReward Create(string key, LengthRewardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factory = Factories.FirstOrDefault(f => f.Key == key).Create
            ?? throw new ArgumentException($"lengthReward: '{key}' is unknown; allowed: {Allowed}", nameof(key));
        options.Validate();
        return factory(options);
    }
}
