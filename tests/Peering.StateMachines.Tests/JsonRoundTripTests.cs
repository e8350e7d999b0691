using System.Text.Json;
using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

/// <summary>
/// Writers produce the exact compact JSON written here by hand from the declarations (keys in
/// parameter order, snake_case or [WireName], tags first, nullables omitted when null); readers
/// give the values back.
/// </summary>
public sealed class JsonRoundTripTests
{
    public static TheoryData<DoorEvent, string> Events => new()
    {
        { new Open(3), """{"type":"Open","force":3}""" },
        { new Open(-2147483648), """{"type":"Open","force":-2147483648}""" },
        { new Close(Slam: true), """{"type":"Close","slam":true}""" },
        { new Close(Slam: false), """{"type":"Close","slam":false}""" },
        { new LockDoor("brass", null), """{"type":"Lock","key":"brass"}""" },
        { new LockDoor("iron", 4294967295), """{"type":"Lock","key":"iron","turns":4294967295}""" },
        { new LockDoor("", 0), """{"type":"Lock","key":"","turns":0}""" },
        { new Unlock("brass"), """{"type":"Unlock","key":"brass"}""" },
        { new Kick(7), """{"type":"Kick","force":7}""" },
        { new Kick(long.MinValue), """{"type":"Kick","force":-9223372036854775808}""" },
    };

    public static TheoryData<DoorEffect, string> Effects => new()
    {
        { new Moved(DoorState.Closed, DoorState.Opened), """{"type":"Moved","from":"Closed","to":"Open"}""" },
        { new Moved(DoorState.Slamming, DoorState.Locked), """{"type":"Moved","from":"Slamming","to":"Locked"}""" },
        { new Bang(18446744073709551615), """{"type":"Bang","decibels":18446744073709551615}""" },
        { new Rejected("iron", "wrong key"), """{"type":"Rejected","key":"iron","reason":"wrong key"}""" },
        { new Splintered(Material.Steel, -1), """{"type":"Splinter","material":"Steel","dents":-1}""" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Events_write_exactly_and_read_back(DoorEvent value, string json)
    {
        Assert.Equal(json, TestJson.Write(w => DoorJson.WriteEvent(w, value)));
        Assert.Equal(value, DoorJson.ParseEvent(TestJson.Utf8(json)));
    }

    [Theory]
    [MemberData(nameof(Effects))]
    public void Effects_write_exactly_and_read_back(DoorEffect value, string json)
    {
        Assert.Equal(json, TestJson.Write(w => DoorJson.WriteEffect(w, value)));
        Assert.Equal(value, DoorJson.ParseEffect(TestJson.Utf8(json)));
    }

    [Fact]
    public void Immutable_array_members_round_trip()
    {
        const string json = """{"type":"Knock","rhythm":[1,-2,2147483647]}""";
        Assert.Equal(json, TestJson.Write(w => DoorJson.WriteEvent(w, new KnockEvent([1, -2, int.MaxValue]))));
        var knock = Assert.IsType<KnockEvent>(DoorJson.ParseEvent(TestJson.Utf8(json)));
        Assert.Equal([1, -2, int.MaxValue], knock.Rhythm.ToArray());

        var empty = Assert.IsType<KnockEvent>(DoorJson.ParseEvent(TestJson.Utf8("""{"type":"Knock","rhythm":[]}""")));
        Assert.True(empty.Rhythm.IsEmpty);
    }

    [Fact]
    public void Array_members_round_trip()
    {
        const string json = """{"type":"Echo","rhythm":[3,1,4]}""";
        Assert.Equal(json, TestJson.Write(w => DoorJson.WriteEffect(w, new Echo([3, 1, 4]))));
        var echo = Assert.IsType<Echo>(DoorJson.ParseEffect(TestJson.Utf8(json)));
        Assert.Equal([3, 1, 4], echo.Rhythm);
    }

    [Fact]
    public void Wire_ignored_parameters_are_neither_written_nor_read()
    {
        Assert.Equal("""{"type":"Open","force":3}""", TestJson.Write(w => DoorJson.WriteEvent(w, new Open(3, FromInside: true))));
        Assert.Equal(new Open(3, FromInside: false), DoorJson.ParseEvent(TestJson.Utf8("""{"type":"Open","force":3}""")));
        var error = Assert.Throws<WireFormatException>(() => DoorJson.ParseEvent(TestJson.Utf8("""{"type":"Open","force":3,"from_inside":true}""")));
        Assert.Equal("unknown key 'from_inside'", error.Problem);
    }

    [Fact]
    public void Fresh_snapshot_omits_the_null_key()
    {
        Assert.Equal(TestJson.FreshSnapshot, TestJson.Write(w => DoorJson.WriteSnapshot(w, DoorExploration.Initial)));
        Assert.Equal(DoorExploration.Initial, DoorJson.ParseSnapshot(TestJson.Utf8(TestJson.FreshSnapshot)));
    }

    [Fact]
    public void Full_snapshot_writes_every_key_in_declared_order()
    {
        var snapshot = new DoorSnapshot(
            DoorState.Locked,
            Bolted: true,
            Key: "brass",
            Turns: 4294967295,
            Kicks: -7,
            Opens: 9007199254740993,
            new Frame(Material.Wood, 18446744073709551615),
            KeySet.Create(["copper", "iron"]),
            LastForce: -1);
        const string json =
            """{"state":"Locked","bolted":true,"key":"brass","turns":4294967295,"kicks":-7,"opens":9007199254740993,"frame":{"material":"Wood","dent_count":18446744073709551615},"keys_tried":["copper","iron"],"last_force":-1}""";
        Assert.Equal(json, TestJson.Write(w => DoorJson.WriteSnapshot(w, snapshot)));
        Assert.Equal(snapshot, DoorJson.ParseSnapshot(TestJson.Utf8(json)));
    }

    [Fact]
    public void Nullable_key_may_be_missing_null_or_a_value()
    {
        var withNull = TestJson.FreshSnapshot[..^1] + ",\"last_force\":null}";
        Assert.Null(DoorJson.ParseSnapshot(TestJson.Utf8(withNull)).LastForce);
        Assert.Null(DoorJson.ParseSnapshot(TestJson.Utf8(TestJson.FreshSnapshot)).LastForce);
        Assert.Equal(0L, DoorJson.ParseSnapshot(TestJson.Utf8(TestJson.FreshSnapshot[..^1] + ",\"last_force\":0}")).LastForce);
        Assert.Equal(new LockDoor("k", null), DoorJson.ParseEvent(TestJson.Utf8("""{"type":"Lock","key":"k","turns":null}""")));
    }

    [Fact]
    public void Keys_may_come_in_any_order_and_the_tag_anywhere()
    {
        Assert.Equal(new LockDoor("iron", 2), DoorJson.ParseEvent(TestJson.Utf8("""{"turns":2,"key":"iron","type":"Lock"}""")));
        Assert.Equal(new LockDoor("iron", 2), DoorJson.ParseEvent(TestJson.Utf8("""{"key":"iron","type":"Lock","turns":2}""")));
        Assert.Equal(new Kick(1), DoorJson.ParseEvent(TestJson.Utf8("""{ "force" : 1 , "type" : "Kick" }""")));
        Assert.Equal(
            DoorExploration.Initial,
            DoorJson.ParseSnapshot(TestJson.Utf8("""{"keys_tried":[],"frame":{"dent_count":0,"material":"Oak"},"opens":0,"kicks":0,"turns":0,"key":"","bolted":false,"state":"Closed"}""")));
    }

    [Fact]
    public void Escaped_strings_are_unescaped()
    {
        Assert.Equal(new Unlock("a\"b"), DoorJson.ParseEvent(TestJson.Utf8("""{"type":"Unlock","key":"a\"b"}""")));
        Assert.Equal(new Kick(3), DoorJson.ParseEvent(TestJson.Utf8("""{"\u0074ype":"\u004Bick","\u0066orce":3}""")));
        var snapshot = DoorJson.ParseSnapshot(TestJson.Utf8(TestJson.FreshSnapshot.Replace("\"Closed\"", "\"Clos\\u0065d\"", StringComparison.Ordinal)));
        Assert.Equal(DoorState.Closed, snapshot.State);
    }

    [Fact]
    public void Checks_write_in_declaration_order()
    {
        Assert.Equal(
            """{"is_open":true,"is_locked":false,"dented":true}""",
            TestJson.Write(w => DoorJson.WriteChecks(w, new DoorChecks(IsOpen: true, IsLocked: false, Dented: true))));
        var reader = new Utf8JsonReader(TestJson.Utf8("""{"dented":false,"is_open":false,"is_locked":true}"""));
        reader.Read();
        Assert.Equal(new DoorChecks(false, true, false), DoorJson.ReadChecks(ref reader));
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
    }

    [Fact]
    public void Readers_leave_the_reader_on_the_values_last_token()
    {
        var reader = new Utf8JsonReader(TestJson.Utf8("""[{"type":"Kick","force":1},{"force":2,"type":"Kick"},{"type":"Close","slam":true}]"""));
        reader.Read();
        var events = new List<DoorEvent>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            events.Add(DoorJson.ReadEvent(ref reader));
            Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        }

        Assert.Equal([new Kick(1), new Kick(2), new Close(true)], events);
    }

    /// <summary>The step line of Lock("brass") on the fresh door, written by hand.</summary>
    private const string LockStepLine =
        "{\"kind\":\"step\",\"step\":0,\"from_state\":\"Closed\",\"to_state\":\"Locked\"," +
        "\"event\":{\"type\":\"Lock\",\"key\":\"brass\"}," +
        "\"before\":" + TestJson.FreshSnapshot + "," +
        "\"before_checks\":{\"is_open\":false,\"is_locked\":false,\"dented\":false}," +
        "\"after\":{\"state\":\"Locked\",\"bolted\":true,\"key\":\"brass\",\"turns\":1,\"kicks\":0,\"opens\":0,\"frame\":{\"material\":\"Oak\",\"dent_count\":0},\"keys_tried\":[]}," +
        "\"after_checks\":{\"is_open\":false,\"is_locked\":true,\"dented\":false}," +
        "\"effects\":[{\"type\":\"Moved\",\"from\":\"Closed\",\"to\":\"Locked\"}]}";

    [Fact]
    public void Trace_step_line_is_exact()
    {
        var before = DoorExploration.Initial;
        var e = new LockDoor("brass", null);
        var (after, from, to, effects) = DoorExploration.Step(before, e);
        var line = TestJson.Write(w => DoorJson.WriteTraceStep(w, 0, from, to, e, before, Door.EvaluateChecks(before), after, Door.EvaluateChecks(after), effects));
        Assert.Equal(LockStepLine, line);
    }

    [Fact]
    public void Trace_step_with_pre_encoded_snapshots_is_the_same()
    {
        var before = DoorExploration.Initial;
        var e = new LockDoor("brass", null);
        var (after, from, to, effects) = DoorExploration.Step(before, e);
        var beforeJson = TestJson.Utf8(TestJson.Write(w => DoorJson.WriteSnapshot(w, before)));
        var checksJson = TestJson.Utf8(TestJson.Write(w => DoorJson.WriteChecks(w, Door.EvaluateChecks(before))));
        var afterJson = TestJson.Utf8(TestJson.Write(w => DoorJson.WriteSnapshot(w, after)));
        var afterChecksJson = TestJson.Utf8(TestJson.Write(w => DoorJson.WriteChecks(w, Door.EvaluateChecks(after))));
        var line = TestJson.Write(w => DoorJson.WriteTraceStep(w, 0, from, to, e, beforeJson, checksJson, afterJson, afterChecksJson, effects));
        Assert.Equal(LockStepLine, line);
    }

    [Fact]
    public void Trace_step_line_parses_back()
    {
        var step = Assert.IsType<TraceStep<DoorState, DoorEvent, DoorSnapshot, DoorChecks, DoorEffect>>(DoorJson.ParseTraceLine(TestJson.Utf8(LockStepLine)));
        Assert.Equal(0, step.Step);
        Assert.Equal(DoorState.Closed, step.FromState);
        Assert.Equal(DoorState.Locked, step.ToState);
        Assert.Equal(new LockDoor("brass", null), step.Event);
        Assert.Equal(DoorExploration.Initial, step.Before);
        Assert.Equal(new DoorChecks(false, false, false), step.BeforeChecks);
        Assert.Equal(DoorExploration.Initial with { State = DoorState.Locked, Bolted = true, Key = "brass", Turns = 1 }, step.After);
        Assert.Equal(new DoorChecks(false, true, false), step.AfterChecks);
        Assert.Equal([new Moved(DoorState.Closed, DoorState.Locked)], step.Effects);
    }

    [Fact]
    public void Trace_summary_is_exact_and_parses_back()
    {
        const string line = """{"kind":"summary","seed":18446744073709551615,"events":5}""";
        Assert.Equal(line, TestJson.Write(w => DoorJson.WriteTraceSummary(w, ulong.MaxValue, 5)));
        Assert.Equal(new TraceSummary(ulong.MaxValue, 5), DoorJson.ParseTraceLine(TestJson.Utf8(line)));
        Assert.Equal(new TraceSummary(0, 1), DoorJson.ParseTraceLine(TestJson.Utf8("""{"events":1,"seed":0,"kind":"summary"}""")));
    }

    [Fact]
    public void Whole_trace_round_trips_line_by_line()
    {
        var lines = new List<string>();
        var snapshot = DoorExploration.Initial;
        var step = 0L;
        foreach (var e in DoorExploration.PlantedViolationSequence.Concat([new Close(true), new Close(false), new LockDoor("iron", 3)]))
        {
            var (after, from, to, effects) = DoorExploration.Step(snapshot, e);
            lines.Add(TestJson.Write(w => DoorJson.WriteTraceStep(w, step, from, to, e, snapshot, Door.EvaluateChecks(snapshot), after, Door.EvaluateChecks(after), effects)));
            snapshot = after;
            step++;
        }

        lines.Add(TestJson.Write(w => DoorJson.WriteTraceSummary(w, 42, step)));
        foreach (var line in lines)
        {
            var parsed = DoorJson.ParseTraceLine(TestJson.Utf8(line));
            var rewritten = parsed switch
            {
                TraceStep<DoorState, DoorEvent, DoorSnapshot, DoorChecks, DoorEffect> s => TestJson.Write(w => DoorJson.WriteTraceStep(w, s.Step, s.FromState, s.ToState, s.Event, s.Before, s.BeforeChecks, s.After, s.AfterChecks, s.Effects)),
                TraceSummary s => TestJson.Write(w => DoorJson.WriteTraceSummary(w, s.Seed, s.Events)),
                _ => throw new InvalidOperationException(),
            };
            Assert.Equal(line, rewritten);
        }

        // The violating step: the door is open with the bolt still thrown.
        Assert.Contains("\"to_state\":\"Open\"", lines[3], StringComparison.Ordinal);
        Assert.Contains("\"after\":{\"state\":\"Open\",\"bolted\":true,\"key\":\"brass\",\"turns\":1,\"kicks\":0,\"opens\":1,\"frame\":{\"material\":\"Oak\",\"dent_count\":3},\"keys_tried\":[],\"last_force\":7}", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_a_step_line_allocates_nothing()
    {
        var writer = new CompactJsonWriter(8192);
        var before = new DoorSnapshot(DoorState.Locked, true, "brass", 1, 2, 3, new Frame(Material.Oak, 2), KeySet.Create(["a", "b"]), 9);
        var after = before with { Kicks = 0, State = DoorState.Opened };
        var checksBefore = Door.EvaluateChecks(before);
        var checksAfter = Door.EvaluateChecks(after);
        DoorEvent e = new Kick(7);
        DoorEffect[] effects = [new Splintered(Material.Oak, 3), new Moved(DoorState.Locked, DoorState.Opened), new Echo([1, 2])];
        void WriteOnce()
        {
            writer.Reset();
            DoorJson.WriteTraceStep(writer, 1, DoorState.Locked, DoorState.Opened, e, before, checksBefore, after, checksAfter, effects);
        }

        for (var i = 0; i < 100; i++)
        {
            WriteOnce();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            WriteOnce();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }
}
