using System.Text;

namespace Peering.StateMachines.Tests;

/// <summary>The value formatting the generated writers rely on: integers at their limits, literals, separators, growth.</summary>
public sealed class CompactJsonWriterTests
{
    private static string Text(Action<CompactJsonWriter> write) => Encoding.UTF8.GetString(CompactJsonWriter.Encode(write));

    [Fact]
    public void Integers_at_their_limits_are_plain_decimal()
    {
        Assert.Equal("-9223372036854775808", Text(w => w.Number(long.MinValue)));
        Assert.Equal("9223372036854775807", Text(w => w.Number(long.MaxValue)));
        Assert.Equal("18446744073709551615", Text(w => w.Number(ulong.MaxValue)));
        Assert.Equal("0", Text(w => w.Number(0UL)));
        Assert.Equal("9", Text(w => w.Number(9UL)));
        Assert.Equal("10", Text(w => w.Number(10UL)));
        Assert.Equal("-1", Text(w => w.Number(-1L)));
    }

    [Fact]
    public void Literals_and_strings()
    {
        Assert.Equal("true,false,null", Text(w => { w.Boolean(true); w.Separator(); w.Boolean(false); w.Separator(); w.Null(); }));
        Assert.Equal("null", Text(w => w.String((string?)null)));
        Assert.Equal("\"\"", Text(w => w.String("")));

        // RFC 8259 §7: the quote, the backslash and control characters are escaped; the BMP is UTF-8 as it is,
        // and a character beyond it is a \u surrogate pair (as System.Text.Json's relaxed encoder writes it).
        Assert.Equal("\"a\\u0001\\t\\\"\\\\ü€\\uD83D\\uDE00<&\"", Text(w => w.String("a\u0001\t\"\\ü€😀<&")));
    }

    [Fact]
    public void A_separator_goes_between_values_only()
    {
        Assert.Equal("[1,2,{\"k\":3,\"l\":[]}]", Text(w =>
        {
            w.Raw("["u8);
            w.Separator();
            w.Number(1L);
            w.Separator();
            w.Number(2L);
            w.Separator();
            w.Raw("{"u8);
            w.Member("\"k\":"u8);
            w.Number(3L);
            w.Member("\"l\":"u8);
            w.Raw("["u8);
            w.Raw("]"u8);
            w.Raw("}"u8);
            w.Raw("]"u8);
        }));
    }

    [Fact]
    public void The_buffer_grows_and_reset_keeps_nothing()
    {
        var w = new CompactJsonWriter(16);
        var expected = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            w.Separator();
            w.Number((long)i * 7919);
            expected.Append(i == 0 ? "" : ",").Append((long)i * 7919);
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(w.Written));
        Assert.Equal(w.Written.Length, w.Length);
        w.Reset();
        w.String(new string('x', 5000));
        Assert.Equal(5002, w.Length);
    }
}
