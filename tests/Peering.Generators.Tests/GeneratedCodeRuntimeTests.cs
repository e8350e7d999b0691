namespace Peering.Generators.Tests;

/// <summary>
/// Compiles <see cref="TestSources.AllWireTypes"/> with its generated code, loads it, and runs the
/// generated serializers over every wire type: exact JSON written by hand, read back and written
/// again, plus canonical bytes and a few strict-reader errors.
/// </summary>
public sealed class GeneratedCodeRuntimeTests
{
    private const string Harness = """
        using System;
        using System.Buffers;
        using System.Text;
        using System.Text.Json;
        using Peering.StateMachines;

        namespace Gadgets;

        public static class Harness
        {
            public static string Event(string json) => Write(w => GadgetJson.WriteEvent(w, GadgetJson.ParseEvent(Encoding.UTF8.GetBytes(json))));

            public static string Effect(string json) => Write(w => GadgetJson.WriteEffect(w, GadgetJson.ParseEffect(Encoding.UTF8.GetBytes(json))));

            public static string Snapshot(string json) => Write(w => GadgetJson.WriteSnapshot(w, GadgetJson.ParseSnapshot(Encoding.UTF8.GetBytes(json))));

            public static string Canonical(string json)
            {
                var writer = new CanonicalWriter();
                GadgetJson.WriteCanonical(writer, GadgetJson.ParseEvent(Encoding.UTF8.GetBytes(json)));
                return Convert.ToHexString(writer.Written);
            }

            public static string Error(string json)
            {
                try
                {
                    GadgetJson.ParseEvent(Encoding.UTF8.GetBytes(json));
                    return "no error";
                }
                catch (WireFormatException ex)
                {
                    return ex.Problem + " at " + ex.Path;
                }
            }

            public static string Dispatch()
            {
                var gadget = new Gadget();
                var handled = gadget.Dispatch(new Go());
                var ignored = gadget.Dispatch(new Go());
                return handled + " " + ignored + " " + Gadget.StateName(gadget.State) + " " + Gadget.EvaluateChecks(gadget.Snapshot());
            }

            private static string Write(Action<CompactJsonWriter> write) => Encoding.UTF8.GetString(CompactJsonWriter.Encode(write));
        }
        """;

    private static readonly Lazy<Type> HarnessType = new(Build);

    private static Type Build()
    {
        var assembly = References.Load("gadgets", TestSources.AllWireTypes, Harness);
        return assembly.GetType("Gadgets.Harness")!;
    }

    private static string Call(string method, params object[] args) => (string)HarnessType.Value.GetMethod(method)!.Invoke(null, args)!;

    /// <summary>Every member present, in declared order, written by hand from the declarations.</summary>
    private const string FullConfigure =
        "{\"type\":\"Configure\",\"enabled\":true,\"level\":-1,\"mask\":4294967295,\"offset\":-9223372036854775808," +
        "\"serial\":18446744073709551615,\"name\":\"n\",\"maybe_enabled\":false,\"maybe_level\":0,\"maybe_mask\":7," +
        "\"maybe_offset\":-5,\"maybe_serial\":9,\"maybe_color\":\"Blue\",\"color\":\"Green\",\"origin\":{\"x\":1,\"y\":2}," +
        "\"window\":{\"start\":3,\"end\":4},\"link\":{\"from\":5,\"target\":6},\"levels\":[1,2],\"names\":[\"a\",\"b\"]," +
        "\"points\":[{\"x\":0,\"y\":0}],\"grid\":[[1],[],[2,3]],\"sparse\":[1,null,3],\"bag\":[{\"x\":7,\"y\":8}]," +
        "\"serials\":[1,18446744073709551615],\"colors\":[\"Red\",\"Blue\"],\"renamed\":42}";

    /// <summary>Nullables absent (omitted), collections empty but one.</summary>
    private const string SmallConfigure =
        "{\"type\":\"Configure\",\"enabled\":false,\"level\":0,\"mask\":0,\"offset\":0,\"serial\":0,\"name\":\"\"," +
        "\"maybe_level\":5,\"color\":\"Blue\",\"origin\":{\"x\":0,\"y\":0},\"window\":{\"start\":0,\"end\":0}," +
        "\"link\":{\"from\":0,\"target\":0},\"levels\":[],\"names\":[],\"points\":[],\"grid\":[],\"sparse\":[]," +
        "\"bag\":[{\"x\":1,\"y\":2}],\"serials\":[],\"colors\":[],\"renamed\":0}";

    [Theory]
    [InlineData(FullConfigure)]
    [InlineData(SmallConfigure)]
    [InlineData("""{"type":"go"}""")]
    [InlineData("""{"type":"Halt"}""")]
    public void Events_round_trip_exactly(string json) => Assert.Equal(json, Call("Event", json));

    [Theory]
    [InlineData("""{"type":"Reported","mode":"running","previous":"Idle","history":["Idle","running"]}""")]
    [InlineData("""{"type":"Reported","mode":"Idle","history":[]}""")]
    [InlineData("""{"type":"replay","event":{"type":"go"},"events":[{"type":"Halt"},{"type":"Configure","enabled":false,"level":0,"mask":0,"offset":0,"serial":0,"name":"","maybe_level":5,"color":"Blue","origin":{"x":0,"y":0},"window":{"start":0,"end":0},"link":{"from":0,"target":0},"levels":[],"names":[],"points":[],"grid":[],"sparse":[],"bag":[{"x":1,"y":2}],"serials":[],"colors":[],"renamed":0}]}""")]
    public void Effects_round_trip_exactly(string json) => Assert.Equal(json, Call("Effect", json));

    [Fact]
    public void Snapshot_round_trips_exactly()
    {
        const string json = """{"mode":"running","count":3,"cursor":{"x":-1,"y":1},"marks":[3,1]}""";
        Assert.Equal(json, Call("Snapshot", json));
    }

    [Fact]
    public void Keys_in_any_order_and_nulls_for_nullables()
    {
        Assert.Equal(
            """{"type":"Reported","mode":"Idle","history":["Idle"]}""",
            Call("Effect", """{"history":["Idle"],"previous":null,"type":"Reported","mode":"Idle"}"""));
    }

    [Fact]
    public void Canonical_bytes_by_hand()
    {
        var expected = string.Concat(
            "00",                   // Configure: event index 0
            "000000000000",         // enabled, level, mask, offset, serial, name ""
            "00", "010A",           // maybe_enabled absent; maybe_level present, 5 -> zig-zag 10
            "00000000",             // maybe_mask, maybe_offset, maybe_serial, maybe_color absent
            "0A",                   // color Blue = 5 -> zig-zag 10
            "0000", "0000", "0000", // origin, window, link
            "0000000000",           // levels, names, points, grid, sparse: length 0
            "01020400",             // bag (no Count): present, x 1 -> 2, y 2 -> 4, end
            "0000",                 // serials, colors: Count 0
            "00");                  // renamed
        Assert.Equal(expected, Call("Canonical", SmallConfigure));
        Assert.Equal("01", Call("Canonical", """{"type":"go"}"""));
        Assert.Equal("02", Call("Canonical", """{"type":"Halt"}"""));
    }

    [Theory]
    [InlineData("""{"type":"Configure"}""", "missing key 'enabled' at $")]
    [InlineData("""{"type":"go","x":1}""", "unknown key 'x' at $.x")]
    [InlineData("""{"type":"Go"}""", "unknown event type 'Go' at $.type")]
    [InlineData("""{"type":"Halt","type":"Halt"}""", "duplicate key 'type' at $.type")]
    public void Strict_reader_errors(string json, string expected) => Assert.Equal(expected, Call("Error", json));

    [Fact]
    public void Nested_errors_have_their_path()
    {
        Assert.Equal("expected an integer, found a string at $.grid[2][1]", Call("Error", FullConfigure.Replace("[2,3]", "[2,\"3\"]", StringComparison.Ordinal)));
        Assert.Equal("unknown Color 'Purple' at $.colors[1]", Call("Error", FullConfigure.Replace("\"Red\",\"Blue\"", "\"Red\",\"Purple\"", StringComparison.Ordinal)));
        Assert.Equal("-1 is out of range for uint at $.maybe_mask", Call("Error", FullConfigure.Replace("\"maybe_mask\":7", "\"maybe_mask\":-1", StringComparison.Ordinal)));
        Assert.Equal("missing key 'target' at $.link", Call("Error", FullConfigure.Replace(",\"target\":6", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dispatch_and_checks_run()
    {
        Assert.Equal("True False running GadgetChecks { IsRunning = True, AtOrigin = True }", Call("Dispatch"));
    }
}
