using System.Globalization;

namespace Peering.StateMachines.Tools;

/// <summary>How every command writes counts: thousands separators, and the singular for one ("1 file", "12,345 steps").</summary>
public static class ToolText
{
    /// <summary><paramref name="n"/> <paramref name="noun"/>, plural unless it is one (<paramref name="plural"/>, or the noun and s).</summary>
    public static string Count(long n, string noun, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? noun : plural ?? noun + "s")}");
}
