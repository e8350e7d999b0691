using Xunit;

namespace Peering.TestSupport;

/// <summary>Whether a POSIX shell is here: tests whose external programs are shell scripts need one.</summary>
public static class Posix
{
    /// <summary>The skip reason where there is none; null where there is.</summary>
    public static string? SkipReason { get; } =
        !OperatingSystem.IsWindows() && File.Exists("/bin/sh") ? null : "needs a POSIX system with /bin/sh: the external programs of these tests are shell scripts";
}

/// <summary>A fact that runs shell scripts, skipped (with the reason) where there is no POSIX shell.</summary>
public sealed class PosixFactAttribute : FactAttribute
{
    /// <summary>Skips without /bin/sh.</summary>
    public PosixFactAttribute() => Skip = Posix.SkipReason;
}

/// <summary>A theory that runs shell scripts, skipped (with the reason) where there is no POSIX shell.</summary>
public sealed class PosixTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips without /bin/sh.</summary>
    public PosixTheoryAttribute() => Skip = Posix.SkipReason;
}
