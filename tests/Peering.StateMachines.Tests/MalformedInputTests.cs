using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

/// <summary>
/// Strict readers: every problem is a <see cref="WireFormatException"/> with the problem, the byte
/// position of the offending token and its JSON path.
/// </summary>
public sealed class MalformedInputTests
{
    private static WireFormatException EventError(string json) =>
        Assert.Throws<WireFormatException>(() => DoorJson.ParseEvent(TestJson.Utf8(json)));

    private static WireFormatException SnapshotError(string json) =>
        Assert.Throws<WireFormatException>(() => DoorJson.ParseSnapshot(TestJson.Utf8(json)));

    /// <summary>The fresh snapshot with the value of <paramref name="key"/> replaced by <paramref name="value"/>.</summary>
    private static string Fresh(string key, string value)
    {
        var json = TestJson.FreshSnapshot;
        var at = json.IndexOf("\"" + key + "\":", StringComparison.Ordinal) + key.Length + 3;
        var end = at;
        var depth = 0;
        while (depth > 0 || (json[end] != ',' && json[end] != '}'))
        {
            depth += json[end] is '{' or '[' ? 1 : json[end] is '}' or ']' ? -1 : 0;
            end++;
        }

        return json[..at] + value + json[end..];
    }

    [Fact]
    public void Missing_key_is_reported_at_the_objects_end()
    {
        const string json = """{"type":"Lock"}""";
        var error = EventError(json);
        Assert.Equal("missing key 'key'", error.Problem);
        Assert.Equal(json.Length - 1, error.BytePosition);
        Assert.Equal("$", error.Path);
        Assert.Equal("missing key 'key' ($)", error.Message);
    }

    [Fact]
    public void Missing_nested_key_names_the_nested_object()
    {
        var json = Fresh("frame", """{"material":"Oak"}""");
        var error = SnapshotError(json);
        Assert.Equal("missing key 'dent_count'", error.Problem);
        Assert.Equal(json.IndexOf("\"Oak\"}", StringComparison.Ordinal) + 5, error.BytePosition);
        Assert.Equal("$.frame", error.Path);
    }

    [Fact]
    public void Missing_tag_is_a_missing_key()
    {
        var error = EventError("""{"force":1}""");
        Assert.Equal("missing key 'type'", error.Problem);
        Assert.Equal("$", error.Path);
        Assert.Equal(10, error.BytePosition);
    }

    [Fact]
    public void Duplicate_key()
    {
        const string json = """{"type":"Kick","force":1,"force":2}""";
        var error = EventError(json);
        Assert.Equal("duplicate key 'force'", error.Problem);
        Assert.Equal(json.LastIndexOf("\"force\"", StringComparison.Ordinal), error.BytePosition);
        Assert.Equal("$.force", error.Path);
    }

    [Fact]
    public void Duplicate_tag()
    {
        const string json = """{"type":"Kick","force":1,"type":"Kick"}""";
        var error = EventError(json);
        Assert.Equal("duplicate key 'type'", error.Problem);
        Assert.Equal(json.LastIndexOf("\"type\"", StringComparison.Ordinal), error.BytePosition);

        // The same when the tag is not the first key (the slow path).
        var late = EventError("""{"force":1,"type":"Kick","type":"Kick"}""");
        Assert.Equal("duplicate key 'type'", late.Problem);
        Assert.Equal("$.type", late.Path);
    }

    [Fact]
    public void Unknown_key()
    {
        const string json = """{"type":"Kick","force":1,"speed":2}""";
        var error = EventError(json);
        Assert.Equal("unknown key 'speed'", error.Problem);
        Assert.Equal(json.IndexOf("\"speed\"", StringComparison.Ordinal), error.BytePosition);
        Assert.Equal("$.speed", error.Path);
    }

    [Fact]
    public void Type_key_is_unknown_outside_a_tagged_object()
    {
        var error = SnapshotError(Fresh("frame", """{"type":"Frame","material":"Oak","dent_count":0}"""));
        Assert.Equal("unknown key 'type'", error.Problem);
        Assert.Equal("$.frame.type", error.Path);
    }

    [Theory]
    [InlineData("""{"type":"Kick","force":"hard"}""", "expected an integer, found a string", "$.force")]
    [InlineData("""{"type":"Kick","force":null}""", "expected an integer, found null", "$.force")]
    [InlineData("""{"type":"Kick","force":{}}""", "expected an integer, found an object", "$.force")]
    [InlineData("""{"type":"Close","slam":1}""", "expected a boolean, found a number", "$.slam")]
    [InlineData("""{"type":"Close","slam":"true"}""", "expected a boolean, found a string", "$.slam")]
    [InlineData("""{"type":"Unlock","key":5}""", "expected a string, found a number", "$.key")]
    [InlineData("""{"type":"Knock","rhythm":{}}""", "expected an array, found an object", "$.rhythm")]
    [InlineData("""{"type":"Knock","rhythm":[1,"x"]}""", "expected an integer, found a string", "$.rhythm[1]")]
    [InlineData("""{"type":7}""", "expected a string, found a number", "$.type")]
    [InlineData("""[]""", "expected an object, found an array", "$")]
    public void Wrong_json_type(string json, string problem, string path)
    {
        var error = EventError(json);
        Assert.Equal(problem, error.Problem);
        Assert.Equal(path, error.Path);
    }

    [Theory]
    [InlineData("turns", "-1", "-1 is out of range for uint")]
    [InlineData("turns", "4294967296", "4294967296 is out of range for uint")]
    [InlineData("kicks", "2147483648", "2147483648 is out of range for int")]
    [InlineData("kicks", "-2147483649", "-2147483649 is out of range for int")]
    [InlineData("opens", "9223372036854775808", "9223372036854775808 is out of range for long")]
    [InlineData("kicks", "1.5", "expected an integer, found 1.5")]
    [InlineData("kicks", "1e3", "expected an integer, found 1e3")]
    [InlineData("kicks", "2.0", "expected an integer, found 2.0")]
    public void Out_of_range_or_not_an_integer(string key, string value, string problem)
    {
        var json = Fresh(key, value);
        var error = SnapshotError(json);
        Assert.Equal(problem, error.Problem);
        Assert.Equal("$." + key, error.Path);
        Assert.Equal(json.IndexOf("\"" + key + "\":", StringComparison.Ordinal) + key.Length + 3, error.BytePosition);
    }

    [Fact]
    public void Ulong_rejects_negatives_and_values_beyond64_bits()
    {
        Assert.Equal("-1 is out of range for ulong", SnapshotError(Fresh("frame", """{"material":"Oak","dent_count":-1}""")).Problem);
        var error = SnapshotError(Fresh("frame", """{"material":"Oak","dent_count":18446744073709551616}"""));
        Assert.Equal("18446744073709551616 is out of range for ulong", error.Problem);
        Assert.Equal("$.frame.dent_count", error.Path);
    }

    [Fact]
    public void Unknown_tag()
    {
        const string json = """{"type":"Shove","force":1}""";
        var error = EventError(json);
        Assert.Equal("unknown event type 'Shove'", error.Problem);
        Assert.Equal(8, error.BytePosition);
        Assert.Equal("$.type", error.Path);

        // A type name that is not the tag is unknown too ("KnockEvent" is tagged "Knock").
        Assert.Equal("unknown event type 'KnockEvent'", EventError("""{"type":"KnockEvent","rhythm":[]}""").Problem);
        var effect = Assert.Throws<WireFormatException>(() => DoorJson.ParseEffect(TestJson.Utf8("""{"type":"Splintered","material":"Oak","dents":1}""")));
        Assert.Equal("unknown effect type 'Splintered'", effect.Problem);
    }

    [Fact]
    public void Unknown_state()
    {
        var json = Fresh("state", "\"Ajar\"");
        var error = SnapshotError(json);
        Assert.Equal("unknown state 'Ajar'", error.Problem);
        Assert.Equal("$.state", error.Path);
        Assert.Equal(json.IndexOf("\"Ajar\"", StringComparison.Ordinal), error.BytePosition);

        // The class name is not the wire name.
        Assert.Equal("unknown state 'Opened'", SnapshotError(Fresh("state", "\"Opened\"")).Problem);
    }

    [Fact]
    public void Unknown_enum_member()
    {
        var error = SnapshotError(Fresh("frame", """{"material":"Brick","dent_count":0}"""));
        Assert.Equal("unknown Material 'Brick'", error.Problem);
        Assert.Equal("$.frame.material", error.Path);
    }

    [Fact]
    public void Collection_builder_argument_exception_is_a_wire_error_at_the_array()
    {
        var json = Fresh("keys_tried", """["iron","brass"]""");
        var error = SnapshotError(json);
        Assert.StartsWith("invalid KeySet: keys must be distinct and in ascending order", error.Problem, StringComparison.Ordinal);
        Assert.Equal("$.keys_tried", error.Path);
        Assert.Equal(json.IndexOf("[\"iron\"", StringComparison.Ordinal), error.BytePosition);

        Assert.StartsWith("invalid KeySet", SnapshotError(Fresh("keys_tried", """["a","a"]""")).Problem, StringComparison.Ordinal);
        Assert.Equal(KeySet.Create(["a", "b"]), DoorJson.ParseSnapshot(TestJson.Utf8(Fresh("keys_tried", """["a","b"]"""))).KeysTried);
    }

    [Fact]
    public void Invalid_json()
    {
        const string json = """{"type":"Kick","force":}""";
        var error = EventError(json);
        Assert.StartsWith("malformed JSON: ", error.Problem, StringComparison.Ordinal);
        Assert.Equal(json.Length - 1, error.BytePosition);
        Assert.Equal("$.force", error.Path);
    }

    [Fact]
    public void Invalid_json_on_a_later_line_has_its_absolute_position()
    {
        const string json = "{\"type\":\"Kick\",\n\"force\":\n1 2}";
        var error = EventError(json);
        Assert.StartsWith("malformed JSON: ", error.Problem, StringComparison.Ordinal);
        Assert.Equal(json.IndexOf('2'), error.BytePosition);
    }

    [Fact]
    public void Trailing_data_is_malformed()
    {
        const string json = """{"type":"Kick","force":1} x""";
        var error = EventError(json);
        Assert.StartsWith("malformed JSON: ", error.Problem, StringComparison.Ordinal);
        Assert.Equal(json.IndexOf('x'), error.BytePosition);

        // Whitespace after the value is fine.
        Assert.Equal(new Kick(1), DoorJson.ParseEvent(TestJson.Utf8("""{"type":"Kick","force":1}  """ + "\n")));
    }

    [Fact]
    public void Empty_input()
    {
        var error = EventError("");
        Assert.StartsWith("malformed JSON: ", error.Problem, StringComparison.Ordinal);
        Assert.Equal(0, error.BytePosition);
    }

    [Fact]
    public void Nesting_beyond64_levels_is_malformed()
    {
        // The tag is not first, so the reader skips the "x" value looking for it, past depth 64.
        var json = "{\"x\":" + new string('[', 70) + new string(']', 70) + ",\"type\":\"Kick\",\"force\":1}";
        var error = EventError(json);
        Assert.StartsWith("malformed JSON: The maximum configured depth of 64 has been exceeded", error.Problem, StringComparison.Ordinal);
        Assert.StartsWith("$.x[0][0]", error.Path, StringComparison.Ordinal);

        // 63 levels inside the object (64 with it) are fine for the reader (the event then has an unknown key).
        var deepButValid = "{\"x\":" + new string('[', 63) + new string(']', 63) + ",\"type\":\"Kick\",\"force\":1}";
        Assert.Equal("unknown key 'x'", EventError(deepButValid).Problem);
    }

    [Fact]
    public void Trace_line_errors_have_their_path()
    {
        const string unknownKind = """{"kind":"stop"}""";
        var error = Assert.Throws<WireFormatException>(() => DoorJson.ParseTraceLine(TestJson.Utf8(unknownKind)));
        Assert.Equal("unknown line kind 'stop'", error.Problem);
        Assert.Equal("$.kind", error.Path);

        var badEffect = """{"kind":"step","step":1,"from_state":"Closed","to_state":"Closed","event":{"type":"Knock","rhythm":[]},"before":""" +
            TestJson.FreshSnapshot + ""","before_checks":{"is_open":false,"is_locked":false,"dented":false},"after":""" +
            TestJson.FreshSnapshot + ""","after_checks":{"is_open":false,"is_locked":false,"dented":false},"effects":[{"type":"Echo","rhythm":[]},{"type":"Boom"}]}""";
        var effectError = Assert.Throws<WireFormatException>(() => DoorJson.ParseTraceLine(TestJson.Utf8(badEffect)));
        Assert.Equal("unknown effect type 'Boom'", effectError.Problem);
        Assert.Equal("$.effects[1].type", effectError.Path);

        var missingChecks = badEffect.Replace(""",{"type":"Boom"}""", "", StringComparison.Ordinal).Replace(""","after_checks":{"is_open":false,"is_locked":false,"dented":false}""", "", StringComparison.Ordinal);
        var missing = Assert.Throws<WireFormatException>(() => DoorJson.ParseTraceLine(TestJson.Utf8(missingChecks)));
        Assert.Equal("missing key 'after_checks'", missing.Problem);
        Assert.Equal("$", missing.Path);

        var checksError = Assert.Throws<WireFormatException>(() => DoorJson.ParseTraceLine(TestJson.Utf8(badEffect.Replace("\"dented\":false}", "\"dented\":0}", StringComparison.Ordinal))));
        Assert.Equal("expected a boolean, found a number", checksError.Problem);
        Assert.Equal("$.before_checks.dented", checksError.Path);
    }

    [Fact]
    public void Readers_without_parse_report_positions_without_paths()
    {
        var bytes = TestJson.Utf8("""{"type":"Kick","force":true}""");
        var error = Assert.Throws<WireFormatException>(() =>
        {
            var reader = new System.Text.Json.Utf8JsonReader(bytes);
            reader.Read();
            DoorJson.ReadEvent(ref reader);
        });
        Assert.Equal(23, error.BytePosition);
        Assert.Equal("", error.Path);
        Assert.Equal("$.force", error.Located(bytes).Path);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_reported_at_the_first_bad_byte()
    {
        // Utf8JsonReader itself accepts these bytes inside a string; the parser checks the input first.
        var bytes = TestJson.Utf8("""{"type":"Unlock","key":"ab__"}""");
        var at = Array.IndexOf(bytes, (byte)'_');
        bytes[at] = 0xFF;
        var error = Assert.Throws<WireFormatException>(() => DoorJson.ParseEvent(bytes));
        Assert.Equal("invalid UTF-8 (byte 0xFF)", error.Problem);
        Assert.Equal(at, error.BytePosition);
        Assert.Equal("$.key", error.Path);
    }

    [Fact]
    public void An_unpaired_surrogate_escape_is_an_invalid_string()
    {
        const string json = """{"type":"Unlock","key":"a\ud800"}""";
        var error = EventError(json);
        Assert.Equal("invalid string: a \\u escape is not valid UTF-16 (an unpaired surrogate)", error.Problem);
        Assert.Equal(json.IndexOf("\"a\\", StringComparison.Ordinal), error.BytePosition);
        Assert.Equal("$.key", error.Path);
    }

    [Fact]
    public void An_unpaired_surrogate_escape_in_a_key_or_tag_is_an_invalid_string()
    {
        var inKey = EventError("""{"type":"Unlock","k\udc00ey":"a"}""");
        Assert.StartsWith("invalid string:", inKey.Problem, StringComparison.Ordinal);
        Assert.Equal(17, inKey.BytePosition);

        var inTag = EventError("""{"type":"Unl\ud800ock","key":"a"}""");
        Assert.StartsWith("invalid string:", inTag.Problem, StringComparison.Ordinal);
        Assert.Equal("$.type", inTag.Path);
    }

    [Fact]
    public void An_unpaired_surrogate_in_a_key_before_the_tag_is_reported_where_it_is()
    {
        // Found by the reader fuzzer: the tag is sought on a copy of the reader, so the broken key
        // must be reported by the matcher itself (it escaped as an InvalidOperationException).
        var error = EventError("""{"k\ud800":1,"type":"Unlock","key":"a"}""");
        Assert.Equal("invalid string: a \\u escape is not valid UTF-16 (an unpaired surrogate)", error.Problem);
        Assert.Equal(1, error.BytePosition);

        var inTag = EventError("""{"key":"a","type":"Unl\ud800ock"}""");
        Assert.StartsWith("invalid string:", inTag.Problem, StringComparison.Ordinal);
        Assert.Equal(18, inTag.BytePosition);
        Assert.Equal("$.type", inTag.Path);
    }
}
