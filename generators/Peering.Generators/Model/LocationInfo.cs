using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Peering.Generators.Model;

/// <summary>Where a diagnostic points, as plain values (a <see cref="Location"/> would pin the compilation).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || !location.IsInSource || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxReference? reference, System.Threading.CancellationToken cancellationToken)
        => reference is null ? null : From(reference.GetSyntax(cancellationToken).GetLocation());
}

/// <summary>A diagnostic to report: the descriptor's ID, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(string id, LocationInfo? location, params string[] arguments)
        => new(id, location, new EquatableArray<string>(arguments));
}
