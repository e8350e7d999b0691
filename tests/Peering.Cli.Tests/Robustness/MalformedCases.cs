using System.IO.Compression;
using System.Text;

namespace Peering.Cli.Tests.Robustness;

/// <summary>
/// One malformed input and the one error line it must produce: <c>FILE:LINE:COLUMN: PROBLEM (PATH)</c>.
/// Columns are 1-based byte columns, worked out from the mutated line: the offending token's index + 1.
/// </summary>
public sealed record MalformedCase(string Name, string FileName, byte[] Bytes, long Line, long Column, string Problem, string Path)
{
    /// <summary>The expected error line for the file at <paramref name="file"/>.</summary>
    public string ExpectedMessage(string file) => $"{file}:{Line}:{Column}: {Problem}" + (Path.Length > 0 ? $" ({Path})" : "");

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// The catalogue of malformed traces (issue 6 item 1), built from a trace this reducer generated
/// (seed 1, lean-core). Line 1 is step 0: an Initialize with pgid 1, whoami 3, epoch 10, whose first
/// effect is the LogTransition "start peering as primary" (TRACE-SCHEMA.md §8 has the same line).
/// </summary>
public static class MalformedCases
{
    private static readonly Lazy<IReadOnlyList<MalformedCase>> Built = new(Build);

    /// <summary>Every case.</summary>
    public static IReadOnlyList<MalformedCase> All => Built.Value;

    /// <summary>The cases as xunit theory data (by name, so that test names are readable).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static MalformedCase Get(string name) => All.Single(c => c.Name == name);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] File(IEnumerable<string> lines) => Utf8(string.Concat(lines.Select(l => l + "\n")));

    /// <summary>Replaces the first occurrence of <paramref name="old"/> (which must occur).</summary>
    private static string ReplaceFirst(string line, string old, string replacement)
    {
        var at = line.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old}' not in the line");
        return line[..at] + replacement + line[(at + old.Length)..];
    }

    private static int Col(string line, string token)
    {
        var at = line.IndexOf(token, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{token}' not in the line");
        return at + 1;
    }

    private static IReadOnlyList<MalformedCase> Build()
    {
        var lines = TraceFiles.Lines;
        var l1 = lines[0];
        var l2 = lines[1];
        var steps = lines.Length - 1;
        var cases = new List<MalformedCase>();

        // Line 1 replaced by a mutation of itself; the rest of the trace unchanged.
        void Line1(string name, string mutated, long column, string problem, string path) =>
            cases.Add(new MalformedCase(name, name + ".jsonl", File([mutated, .. lines[1..]]), 1, column, problem, path));

        // A cut line: the file ends inside line 2's from_state string.
        var cut = l2[..(l2.IndexOf("\"from_state\":\"", StringComparison.Ordinal) + 14)];
        cases.Add(new MalformedCase("cut-line", "cut-line.jsonl", Utf8(l1 + "\n" + cut), 2, cut.Length + 1,
            "malformed JSON: Expected end of string, but instead reached end of data.", "$.from_state"));

        var invalid = ReplaceFirst(l1, "\"step\":0,", "\"step\":0x,");
        Line1("invalid-json", invalid, Col(invalid, "x,"), "malformed JSON: 'x' is an invalid end of a number. Expected a delimiter.", "$.step");

        var garbage = l1 + "{}";
        Line1("data-after-the-object", garbage, l1.Length + 1, "malformed JSON: '{' is invalid after a single JSON value. Expected end of data.", "$");

        Line1("unknown-line-kind", ReplaceFirst(l1, "\"kind\":\"step\"", "\"kind\":\"stop\""), 9, "unknown line kind 'stop'", "$.kind");

        var ev = ReplaceFirst(l1, "\"type\":\"Initialize\"", "\"type\":\"Reboot\"");
        Line1("unknown-event", ev, Col(ev, "\"Reboot\""), "unknown event type 'Reboot'", "$.event.type");

        var fx = ReplaceFirst(l1, "\"type\":\"LogTransition\"", "\"type\":\"LogChange\"");
        Line1("unknown-effect", fx, Col(fx, "\"LogChange\""), "unknown effect type 'LogChange'", "$.effects[0].type");

        var state = ReplaceFirst(l1, "\"from_state\":\"Initial\"", "\"from_state\":\"Limbo\"");
        Line1("unknown-state", state, Col(state, "\"Limbo\""), "unknown state 'Limbo'", "$.from_state");

        var nested = ReplaceFirst(l1, "\"state\":\"Initial\"", "\"state\":\"Limbo\"");
        Line1("unknown-snapshot-state", nested, Col(nested, "\"Limbo\""), "unknown state 'Limbo'", "$.before.state");

        var str = ReplaceFirst(l1, "\"whoami\":3,", "\"whoami\":\"0\",");
        Line1("string-for-integer", str, Col(str, "\"0\""), "expected an integer, found a string", "$.event.whoami");

        var num = ReplaceFirst(l1, "\"need_up_thru\":false", "\"need_up_thru\":0");
        Line1("number-for-boolean", num, Col(num, "\"need_up_thru\":0") + 15, "expected a boolean, found a number", "$.before.need_up_thru");

        var obj = ReplaceFirst(l1, "\"before_checks\":{", "\"before_checks\":[{");
        obj = ReplaceFirst(obj, "\"image_recovering\":false}", "\"image_recovering\":false}]");
        Line1("array-for-object", obj, Col(obj, "[{\"have_enough_info\""), "expected an object, found an array", "$.before_checks");

        var missing = ReplaceFirst(l1, "\"pool_size\":3,", "");
        Line1("missing-field", missing, Col(missing, "},\"before\":"), "missing key 'pool_size'", "$.event");

        var missingTop = l1[..l1.IndexOf(",\"effects\":", StringComparison.Ordinal)] + "}";
        Line1("missing-top-level-field", missingTop, missingTop.Length, "missing key 'effects'", "$");

        var dup = ReplaceFirst(l1, "\"step\":0,", "\"step\":0,\"step\":0,");
        Line1("duplicate-key", dup, Col(dup, "\"step\":0,\"step\"") + 9, "duplicate key 'step'", "$.step");

        var dupNested = ReplaceFirst(l1, "\"pgid\":1,", "\"pgid\":1,\"pgid\":1,");
        Line1("duplicate-nested-key", dupNested, Col(dupNested, "\"pgid\":1,\"pgid\"") + 9, "duplicate key 'pgid'", "$.event.pgid");

        var unknownKey = ReplaceFirst(l1, "\"kind\":\"step\",", "\"kind\":\"step\",\"colour\":\"red\",");
        Line1("unknown-key", unknownKey, Col(unknownKey, "\"colour\""), "unknown key 'colour'", "$.colour");

        var negative = ReplaceFirst(l1, "\"epoch\":10,", "\"epoch\":-1,");
        Line1("negative-unsigned", negative, Col(negative, "-1,"), "-1 is out of range for uint", "$.event.epoch");

        var big = ReplaceFirst(l1, "\"pgid\":1,", "\"pgid\":18446744073709551616,");
        Line1("beyond-64-bits", big, Col(big, "18446744073709551616"), "18446744073709551616 is out of range for ulong", "$.event.pgid");

        var osd = ReplaceFirst(l1, "\"whoami\":3,", "\"whoami\":2147483648,");
        Line1("osd-beyond-32-bits", osd, Col(osd, "2147483648"), "2147483648 is out of range for int", "$.event.whoami");

        var fraction = ReplaceFirst(l1, "\"whoami\":3,", "\"whoami\":0.5,");
        Line1("fraction", fraction, Col(fraction, "0.5"), "expected an integer, found 0.5", "$.event.whoami");

        // Sets are written ascending without repeats (the wire builder's ArgumentException is a wire error at the array).
        var order = ReplaceFirst(l1, "\"peers_queried\":[0,2]", "\"peers_queried\":[2,0]");
        Line1("set-out-of-order", order, Col(order, "[2,0]"), "invalid array: OSD ids not in ascending order", "$.after.peers_queried");

        var repeat = ReplaceFirst(l1, "\"peers_queried\":[0,2]", "\"peers_queried\":[0,0,2]");
        Line1("set-with-a-repeat", repeat, Col(repeat, "[0,0,2]"), "invalid array: OSD id 0 repeated", "$.after.peers_queried");

        var step = ReplaceFirst(l1, "\"step\":0,", "\"step\":-1,");
        Line1("negative-step", step, 1, "step -1 starts a trace: a trace starts at step 0", "");

        // A reason string with an invalid UTF-8 sequence (0xC3 must be followed by a continuation byte).
        var reasonAt = Encoding.UTF8.GetByteCount(l1[..l1.IndexOf("start peering as primary", StringComparison.Ordinal)]) + "start peering ".Length;
        var badUtf8 = Utf8(l1);
        badUtf8[reasonAt] = 0xC3;
        badUtf8[reasonAt + 1] = (byte)'(';
        cases.Add(new MalformedCase("invalid-utf8-in-a-string", "invalid-utf8-in-a-string.jsonl", [.. badUtf8, (byte)'\n', .. File(lines[1..])],
            1, reasonAt + 1, "invalid UTF-8 (byte 0xC3)", "$.effects[0].reason"));

        var stateAt = Utf8(l1).AsSpan().IndexOf("\"from_state\":\"Initial\""u8) + 14 + 4;
        var badName = Utf8(l1);
        badName[stateAt] = 0xFF;
        cases.Add(new MalformedCase("invalid-utf8-in-a-state-name", "invalid-utf8-in-a-state-name.jsonl", [.. badName, (byte)'\n', .. File(lines[1..])],
            1, stateAt + 1, "invalid UTF-8 (byte 0xFF)", "$.from_state"));

        var surrogate = ReplaceFirst(l1, "\"start peering as primary\"", "\"start \\ud800 peering\"");
        Line1("unpaired-surrogate-escape", surrogate, Col(surrogate, "\"start \\ud800"), "invalid string: a \\u escape is not valid UTF-16 (an unpaired surrogate)", "$.effects[0].reason");

        var newline = ReplaceFirst(l1, "\"from_state\":\"Initial\"", "\"from_state\":\"Ini\\ntial\"");
        Line1("escaped-newline-in-a-name", newline, Col(newline, "\"Ini\\n"), "unknown state 'Ini\\u000atial'", "$.from_state");

        // A million nested arrays ahead of the kind: the reader's depth bound (64) stops it; the path is cut.
        const int depth = 1_000_000;
        var deep = "{\"deep\":" + new string('[', depth) + new string(']', depth) + "," + l1[1..];
        var deepPath = "$.deep" + string.Concat(Enumerable.Repeat("[0]", 63));
        Line1("deeply-nested", deep, 9 + 63, "malformed JSON: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array.",
            deepPath[..160] + "…");

        string[] comment = [l1, "# a comment", .. lines[1..]];
        cases.Add(new MalformedCase("not-an-object-line", "not-an-object-line.jsonl", File(comment), 2, 1, "not a JSON object line: a trace line starts with '{'", ""));

        string[] indented = [l1, "   " + ReplaceFirst(l2, "\"kind\":\"step\"", "\"kind\":\"stop\""), .. lines[2..]];
        cases.Add(new MalformedCase("indented-line", "indented-line.jsonl", File(indented), 2, 3 + 9, "unknown line kind 'stop'", "$.kind"));

        cases.Add(new MalformedCase("byte-order-mark", "byte-order-mark.jsonl", [0xEF, 0xBB, 0xBF, .. File(lines)], 1, 1,
            "not a JSON object line: a byte order mark (a trace line starts with '{')", ""));

        var binary = new byte[4096];
        new Random(6).NextBytes(binary);
        binary[0] = 0x00;
        cases.Add(new MalformedCase("binary-file", "binary-file.jsonl", binary, 1, 1, "not a JSON object line: a trace line starts with '{'", ""));

        var brace = new byte[4096];
        brace[0] = (byte)'{';
        cases.Add(new MalformedCase("binary-after-a-brace", "binary-after-a-brace.jsonl", brace, 1, 2,
            "malformed JSON: '0x00' is an invalid start of a property name. Expected a '\"'.", "$"));

        // Structure.
        var wrongCount = lines[^1].Replace($"\"events\":{steps}", $"\"events\":{steps + 1}", StringComparison.Ordinal);
        cases.Add(new MalformedCase("summary-count", "summary-count.jsonl", File([.. lines[..^1], wrongCount]), lines.Length, 1,
            $"summary says {steps + 1} events but the trace has {steps} step lines", ""));

        cases.Add(new MalformedCase("missing-step", "missing-step.jsonl", File([.. lines[..2], .. lines[3..]]), 3, 1,
            "step 3 out of sequence: expected step 2 (or 0 to start a new trace)", ""));

        cases.Add(new MalformedCase("no-step-0", "no-step-0.jsonl", File(lines[1..]), 1, 1, "step 1 starts a trace: a trace starts at step 0", ""));

        cases.Add(new MalformedCase("summary-only", "summary-only.jsonl", File([lines[^1]]), 1, 1, "summary line without a trace before it", ""));

        cases.Add(new MalformedCase("second-summary", "second-summary.jsonl", File([.. lines, lines[^1]]), lines.Length + 1, 1,
            "second summary line: the trace before it already has one", ""));

        cases.Add(new MalformedCase("empty-file", "empty-file.jsonl", [], 1, 1, "empty trace: no step lines", ""));

        cases.Add(new MalformedCase("blank-lines-only", "blank-lines-only.jsonl", Utf8("\n \t\r\n\r\n"), 3, 1, "empty trace: no step lines", ""));

        // Gzip: a corrupt header, a missing trailer, a stream cut in half.
        var gz = Gzip(File(lines));
        var method = gz.ToArray();
        method[2] = 7;
        cases.Add(new MalformedCase("corrupt-gzip-header", "corrupt-gzip-header.jsonl.gz", method, 1, 1,
            "corrupt gzip stream: The archive entry was compressed using an unsupported compression method.", ""));

        cases.Add(new MalformedCase("gzip-without-trailer", "gzip-without-trailer.jsonl.gz", gz[..^8], lines.Length + 1, 1,
            "corrupt gzip stream: truncated, or more than one gzip member (the trailer does not match the data)", ""));

        cases.Add(new MalformedCase("gzip-concatenated", "gzip-concatenated.jsonl.gz", [.. gz, .. gz], 2 * lines.Length + 1, 1,
            "corrupt gzip stream: truncated, or more than one gzip member (the trailer does not match the data)", ""));

        var trailing = new byte[gz.Length + 3];
        gz.CopyTo(trailing, 0);
        // GZipStream reads past the member looking for another one, so the trailer seen last is not the member's.
        cases.Add(new MalformedCase("gzip-with-trailing-zeros", "gzip-with-trailing-zeros.jsonl.gz", trailing, lines.Length + 1, 1,
            "corrupt gzip stream: truncated, or more than one gzip member (the trailer does not match the data)", ""));

        return cases;
    }

    /// <summary>Gzip of <paramref name="bytes"/>, one member.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
