namespace Peering.Generation;

/// <summary>The generator's event mixes (GENERATOR.md §5).</summary>
public enum Profile
{
    /// <summary>The proof-aligned subset: no deletion; ReplicaActivate echoes the receiver's own authority.</summary>
    LeanCore,

    /// <summary>The broader stress surface.</summary>
    Full,
}

/// <summary>Profile names as the command line spells them.</summary>
public static class Profiles
{
    /// <summary><c>lean-core</c> or <c>full</c>.</summary>
    public static string Name(this Profile profile) => profile == Profile.LeanCore ? "lean-core" : "full";

    /// <summary>Parses <c>lean-core</c> or <c>full</c>.</summary>
    public static bool TryParse(string? text, out Profile profile)
    {
        profile = text == "lean-core" ? Profile.LeanCore : Profile.Full;
        return text is "lean-core" or "full";
    }
}
