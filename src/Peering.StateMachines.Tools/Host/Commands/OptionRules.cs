using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Peering.StateMachines.Tools;

/// <summary>
/// The ranges of options, checked by the parser before any command runs, so that every bad value is
/// one usage line naming the option as the user typed it (README "Exit codes").
/// </summary>
public static class OptionRules
{
    /// <summary>The most threads or concurrent programs a command takes (<c>--jobs</c>).</summary>
    public const int MaxJobs = 256;

    /// <summary>The longest time bound in seconds (about 31 years): beyond it is a typo, and <see cref="TimeSpan"/> overflows further on.</summary>
    public const double MaxSeconds = 1e9;

    /// <summary><paramref name="option"/>'s value must be in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max)
        where T : struct, IComparable<T>
    {
        option.Validators.Add(r =>
        {
            if (TryValue(r, out T v) && (v.CompareTo(min) < 0 || v.CompareTo(max) > 0))
            {
                r.AddError($"{Typed(r, option)} {Show(v)}: must be {Bounds(min, max)}");
            }
        });
        return option;
    }

    /// <summary>A nullable <paramref name="option"/>'s value, when given, must be in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<T?> InRange<T>(this Option<T?> option, T min, T max)
        where T : struct, IComparable<T>
    {
        option.Validators.Add(r =>
        {
            if (TryValue(r, out T? given) && given is { } v && (v.CompareTo(min) < 0 || v.CompareTo(max) > 0))
            {
                r.AddError($"{Typed(r, option)} {Show(v)}: must be {Bounds(min, max)}");
            }
        });
        return option;
    }

    /// <summary>A number of seconds: finite, more than 0, at most <see cref="MaxSeconds"/> (NaN and Infinity are refused).</summary>
    public static Option<double> Seconds(this Option<double> option)
    {
        option.Validators.Add(r =>
        {
            if (TryValue(r, out double v) && !(v > 0 && v <= MaxSeconds))
            {
                r.AddError($"{Typed(r, option)} {Show(v)}: must be a number of seconds more than 0 and at most {MaxSeconds:G}");
            }
        });
        return option;
    }

    /// <summary>Path arguments: a value that looks like an option is an unknown option, not a file named <c>--json</c> (use <c>./--json</c> for such a file).</summary>
    public static Argument<T> NoOptions<T>(this Argument<T> argument)
    {
        argument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    r.AddError($"unknown option '{token.Value}' (a file of that name is ./{token.Value})");
                }
            }
        });
        return argument;
    }

    /// <summary>The option as the user typed it (an alias, or the name when the value is a default).</summary>
    public static string Typed(OptionResult r, Option option) => r.IdentifierToken?.Value ?? option.Name;

    // The value the user gave (a default is not checked); false when there is none or it is not of the type (the parser reports that itself).
    private static bool TryValue<T>(OptionResult r, out T value)
    {
        value = default!;
        if (r.Implicit)
        {
            return false;
        }

        try
        {
            value = r.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Show<T>(T value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "";

    private static string Bounds<T>(T min, T max) => Show(max) is var top && (top == Show(int.MaxValue) || top == Show(long.MaxValue))
        ? $"at least {Show(min)}"
        : $"{Show(min)} to {Show(max)}";
}
