namespace Peering.Model;

/// <summary>The image helpers of MODEL.md §3, with the spec's names.</summary>
public static class Images
{
    /// <summary><c>Len(img, o)</c>: the length stored for <paramref name="obj"/>, 0 when absent.</summary>
    public static ulong Len(this ObjectImage image, ulong obj) => image.TryGet(obj, out var e) ? e.Len : 0;

    /// <summary><c>L0(img)</c>: the length of the legacy object 0.</summary>
    public static ulong L0(this ObjectImage image) => image.Len(0);

    /// <summary><c>Single(o, n)</c>: <c>{o: n}</c> when <c>n &gt; 0</c>, else empty.</summary>
    public static ObjectImage Single(ulong obj, ulong len) =>
        len > 0 ? ObjectImage.Own([new ImageEntry(obj, len)]) : default;

    /// <summary><c>Img0(n)</c>: <c>Single(0, n)</c>.</summary>
    public static ObjectImage Img0(ulong len) => Single(0, len);

    /// <summary>
    /// <c>Eff</c> (MODEL.md §3.2): the image if it has any entry, else the legacy scalar as object 0.
    /// </summary>
    public static ObjectImage Effective(ObjectImage image, ulong committedLength) =>
        !image.IsEmpty || committedLength == 0 ? image : Img0(committedLength);

    /// <summary><c>Join(a, b)</c>: pointwise maximum; a zero entry of b is inserted where a lacks the object.</summary>
    public static ObjectImage Join(ObjectImage a, ObjectImage b)
    {
        if (b.IsEmpty)
        {
            return a;
        }

        var x = a.AsSpan();
        var y = b.AsSpan();
        var result = new List<ImageEntry>(x.Length + y.Length);
        int i = 0, j = 0;
        while (i < x.Length || j < y.Length)
        {
            if (j == y.Length || (i < x.Length && x[i].Obj < y[j].Obj))
            {
                result.Add(x[i++]);
            }
            else if (i == x.Length || y[j].Obj < x[i].Obj)
            {
                result.Add(y[j++]);
            }
            else
            {
                result.Add(x[i].Len < y[j].Len ? y[j] : x[i]);
                i++;
                j++;
            }
        }

        return ObjectImage.Own(result.ToArray());
    }

    /// <summary><c>Clamp(bound, img)</c>: each object cut to the bound's length; absent-or-zero bounds and zero results drop.</summary>
    public static ObjectImage Clamp(ObjectImage bound, ObjectImage image)
    {
        var result = new List<ImageEntry>(image.Count);
        foreach (var (obj, len) in image)
        {
            var max = bound.Len(obj);
            if (max > 0)
            {
                var kept = Math.Min(len, max);
                if (kept > 0)
                {
                    result.Add(new ImageEntry(obj, kept));
                }
            }
        }

        return ObjectImage.Own(result.ToArray());
    }

    /// <summary><c>IsPrefix(a, b)</c>: every entry of <paramref name="a"/> is within <paramref name="b"/>.</summary>
    public static bool IsPrefix(ObjectImage a, ObjectImage b)
    {
        foreach (var (obj, len) in a)
        {
            if (len > b.Len(obj))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>Same(a, b)</c>: equal as functions where absent reads as 0.</summary>
    public static bool Same(ObjectImage a, ObjectImage b) => IsPrefix(a, b) && IsPrefix(b, a);

    /// <summary>
    /// <c>Gaps(img, src)</c> (MODEL.md §3.6): the byte ranges a holder of <paramref name="image"/> lacks;
    /// <paramref name="previous"/> itself when the gaps are the same.
    /// </summary>
    public static ValueList<ObjRecovery> Gaps(ObjectImage image, AuthorityImage sources, ValueList<ObjRecovery> previous = default)
    {
        // On the stack only while small: the count comes from the input, and a large stackalloc overflows the stack.
        Span<ObjRecovery> gaps = sources.Count <= 32 ? stackalloc ObjRecovery[sources.Count] : new ObjRecovery[sources.Count];
        var n = 0;
        foreach (var (obj, osd, len) in sources)
        {
            var have = image.Len(obj);
            if (have < len)
            {
                gaps[n++] = new ObjRecovery(obj, osd, have, len);
            }
        }

        return gaps[..n].SequenceEqual(previous.AsSpan()) ? previous : ValueList.Create<ObjRecovery>(gaps[..n]);
    }

    /// <summary><c>SourcesOf(osd, img)</c> (MODEL.md §4.5): one holder backs every positive entry.</summary>
    public static AuthorityImage SourcesOf(int osd, ObjectImage image)
    {
        var result = new List<AuthorityEntry>(image.Count);
        foreach (var (obj, len) in image)
        {
            if (len > 0)
            {
                result.Add(new AuthorityEntry(obj, osd, len));
            }
        }

        return AuthorityImage.Own(result.ToArray());
    }
}
