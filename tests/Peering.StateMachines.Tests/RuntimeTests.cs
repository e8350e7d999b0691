namespace Peering.StateMachines.Tests;

/// <summary>The runtime pieces generated code relies on: JsonPathLocator, CanonicalWriter, WireFormatException.</summary>
public sealed class RuntimeTests
{
    private const string Doc = """{"a":{"b":[1,2,{"c":3}],"d":"x"},"e":[]}""";

    private static long At(string text, string token, int occurrence = 0)
    {
        var index = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            index = Doc.IndexOf(token, index + 1, StringComparison.Ordinal);
        }

        return index;
    }

    [Theory]
    [InlineData("{\"a\"", 0, "$")]
    [InlineData("3}", 0, "$.a.b[2].c")]
    [InlineData("2,", 0, "$.a.b[1]")]
    [InlineData("1,", 0, "$.a.b[0]")]
    [InlineData("[1", 0, "$.a.b")]
    [InlineData("\"x\"", 0, "$.a.d")]
    [InlineData("[]", 0, "$.e")]
    public void Path_of_a_value(string token, int occurrence, string path)
    {
        Assert.Equal(path, JsonPathLocator.PathAt(TestJson.Utf8(Doc), At(Doc, token, occurrence)));
    }

    [Fact]
    public void Path_of_a_key_is_the_keys_value_path()
    {
        Assert.Equal("$.a.d", JsonPathLocator.PathAt(TestJson.Utf8(Doc), At(Doc, "\"d\"")));
    }

    [Fact]
    public void Path_of_a_closing_brace_is_its_object()
    {
        // The '}' closing {"c":3}: a missing key in that object is reported there.
        Assert.Equal("$.a.b[2]", JsonPathLocator.PathAt(TestJson.Utf8(Doc), At(Doc, "3}") + 1));
        Assert.Equal("$", JsonPathLocator.PathAt(TestJson.Utf8(Doc), Doc.Length - 1));
    }

    [Fact]
    public void Path_in_malformed_input_uses_what_could_be_read()
    {
        const string bad = """{"a":[1,{"b":}]}""";
        Assert.Equal("$.a[1].b", JsonPathLocator.PathAt(TestJson.Utf8(bad), bad.IndexOf('}')));
    }

    [Fact]
    public void Located_adds_the_path_once()
    {
        var bytes = TestJson.Utf8(Doc);
        var error = new WireFormatException("bad", At(Doc, "3}"));
        var located = error.Located(bytes);
        Assert.Equal("$.a.b[2].c", located.Path);
        Assert.Equal("bad ($.a.b[2].c)", located.Message);
        Assert.Same(located, located.Located(bytes));
        var unknown = new WireFormatException("bad", -1);
        Assert.Same(unknown, unknown.Located(bytes));
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7F")]
    [InlineData(128UL, "8001")]
    [InlineData(300UL, "AC02")]
    [InlineData(16384UL, "808001")]
    [InlineData(ulong.MaxValue, "FFFFFFFFFFFFFFFFFF01")]
    public void Unsigned_varints(ulong value, string hex)
    {
        var w = new CanonicalWriter();
        w.WriteUInt64(value);
        Assert.Equal(hex, Convert.ToHexString(w.Written));
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-64L, "7F")]
    [InlineData(64L, "8001")]
    [InlineData(long.MaxValue, "FEFFFFFFFFFFFFFFFF01")]
    [InlineData(long.MinValue, "FFFFFFFFFFFFFFFFFF01")]
    public void Zig_zag_varints(long value, string hex)
    {
        var w = new CanonicalWriter();
        w.WriteInt64(value);
        Assert.Equal(hex, Convert.ToHexString(w.Written));
    }

    [Fact]
    public void Strings_and_booleans()
    {
        var w = new CanonicalWriter();
        w.WriteString("é");
        w.WriteBoolean(true);
        w.WriteBoolean(false);
        w.WriteString("");
        Assert.Equal("02C3A9010000", Convert.ToHexString(w.Written));
    }

    [Fact]
    public void One_byte_values_and_booleans_grow_the_buffer_past_its_capacity()
    {
        // One-byte values take the inlined path, which must still grow the buffer when it is full.
        var w = new CanonicalWriter(1);
        var expected = new List<byte>();
        for (var i = 0; i < 100; i++)
        {
            w.WriteUInt64((ulong)(i % 128));
            w.WriteBoolean(i % 2 == 0);
            w.WriteInt64(-1);
            expected.AddRange([(byte)(i % 128), (byte)(i % 2 == 0 ? 1 : 0), 1]);
        }

        Assert.Equal(expected.ToArray(), w.Written.ToArray());
    }

    [Fact]
    public void Reset_keeps_writing_from_the_start_and_the_buffer_grows()
    {
        var w = new CanonicalWriter(1);
        w.WriteString(new string('z', 1000));
        Assert.Equal(1002, w.Written.Length);
        Assert.Equal(0xE8, w.Written[0]);
        Assert.Equal(0x07, w.Written[1]);
        w.Reset();
        Assert.Equal(0, w.Written.Length);
        w.WriteUInt64(5);
        Assert.Equal("05", Convert.ToHexString(w.Written));
    }
}
