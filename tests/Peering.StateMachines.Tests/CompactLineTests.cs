using System.Text;

namespace Peering.StateMachines.Tests;

/// <summary>The byte-level matching the compact step reader relies on to reuse unchanged members.</summary>
public sealed class CompactLineTests
{
    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("12,\"b\":1", 0, 2)]
    [InlineData("true}", 0, 4)]
    [InlineData("\"a}],\\\"b\",", 0, 9)]      // brackets and an escaped quote inside a string
    [InlineData("\"a\\\\\",", 0, 5)]            // an escaped backslash before the closing quote
    [InlineData("{\"k\":[1,{\"x\":\"]\"}]},", 0, 19)]
    [InlineData("[],", 0, 2)]
    [InlineData("{\"k\":[1,2]", 0, -1)]         // the text ends inside the value
    [InlineData("\"open", 0, -1)]
    public void A_value_ends_where_JSON_says(string json, int at, int end) => Assert.Equal(end, CompactLine.ValueEnd(U(json), at));

    [Fact]
    public void A_member_is_the_same_only_when_its_value_bytes_are_and_end_there()
    {
        var prior = U("{\"a\":12,\"b\":[1,2],\"c\":\"x\"}");

        // a: 12 against 123 (a number is not self-delimiting); b: the same array; c: another string.
        var line = new CompactLine(U("{\"a\":123,\"b\":[1,2],\"c\":\"y\"}"));
        var b = 0;
        Assert.True(line.Member("{\"a\":"u8, prior, ref b, out var same));
        Assert.False(same);
        Assert.Equal(5, line.Position);     // on the value, to be read
        line.Skip(3);
        Assert.True(line.Member(",\"b\":"u8, prior, ref b, out same));
        Assert.True(same);
        Assert.True(line.Member(",\"c\":"u8, prior, ref b, out same));
        Assert.False(same);
        line.Skip(3);
        Assert.True(line.Literal("}"u8));
        Assert.Equal(prior.Length - 1, b);

        // A key missing on either side is no match.
        var other = new CompactLine(U("{\"z\":1}"));
        b = 0;
        Assert.False(other.Member("{\"a\":"u8, prior, ref b, out _));
    }
}
