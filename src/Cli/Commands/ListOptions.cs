using System.Globalization;

namespace PrunerPipeline.Cli.Commands;

/// <summary>
/// Options that take a comma-separated list of numbers (<c>--lambda 0,1,2,5</c>, <c>--grid 1e-6,1e-5</c>): parsed once
/// here, refused at parse time with a message naming the option and an example, duplicates dropped.
/// </summary>
internal static class ListOptions
{
    /// <summary>An option whose value must parse with <paramref name="parse"/>; <paramref name="error"/> otherwise.</summary>
    public static Option<string?> Create<T>(string name, string description, Func<string, T[]?> parse, string error, string? defaultValue = null)
    {
        var option = new Option<string?>(name) { Description = description };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } list && parse(list) is null)
            {
                r.AddError($"{name}: {error}");
            }
        });
        return option;
    }

    /// <summary>Finite numbers each passing <paramref name="valid"/>; null when the list is empty or any entry is not.</summary>
    public static double[]? Numbers(string list, Func<double, bool> valid) =>
        Parse<double>(list, part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && valid(v) ? v : (double?)null);

    /// <summary>Whole numbers each passing <paramref name="valid"/>; null when the list is empty or any entry is not.</summary>
    public static int[]? WholeNumbers(string list, Func<int, bool> valid) =>
        Parse<int>(list, part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && valid(v) ? v : (int?)null);

    private static T[]? Parse<T>(string list, Func<string, T?> entry) where T : struct
    {
        var values = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry).ToList();
        return values.Count == 0 || values.Any(v => v is null) ? null : values.Select(v => v!.Value).Distinct().ToArray();
    }
}
