using Peering.TestMachines;

namespace Peering.StateMachines.Tests;

/// <summary>The generated canonical encoding: equal values give equal bytes, different values different bytes.</summary>
public sealed class CanonicalTests
{
    private static byte[] Bytes(DoorSnapshot s)
    {
        var w = new CanonicalWriter(4);
        DoorJson.WriteCanonical(w, s);
        return w.Written.ToArray();
    }

    private static byte[] Bytes(DoorEvent e)
    {
        var w = new CanonicalWriter(4);
        DoorJson.WriteCanonical(w, e);
        return w.Written.ToArray();
    }

    [Fact]
    public void Fresh_snapshot_bytes_by_hand()
    {
        // state Closed (0 -> zig-zag 0), bolted false, key "" (length 0), turns 0, kicks 0, opens 0,
        // frame: material Oak (1 -> zig-zag 2), dents 0; keys_tried count 0; last_force absent.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 2, 0, 0, 0 }, Bytes(DoorExploration.Initial));
    }

    [Fact]
    public void Full_snapshot_bytes_by_hand()
    {
        var s = new DoorSnapshot(DoorState.Locked, true, "ab", 300, -1, 64, new Frame(Material.Steel, 1), KeySet.Create(["x"]), -2);
        byte[] expected =
        [
            4,                  // state Locked = 2, zig-zag 4
            1,                  // bolted
            2, (byte)'a', (byte)'b', // key
            0xAC, 0x02,         // turns 300 (varint)
            1,                  // kicks -1, zig-zag 1
            0x80, 0x01,         // opens 64, zig-zag 128
            4, 1,               // frame: Steel = 2 (zig-zag 4), dents 1
            1, 1, (byte)'x',    // keys_tried: count 1, "x"
            1, 3,               // last_force present, -2 zig-zag 3
        ];
        Assert.Equal(expected, Bytes(s));
    }

    [Fact]
    public void Event_bytes_by_hand()
    {
        Assert.Equal(new byte[] { 4, 14 }, Bytes(new Kick(7)));                // index 4, 7 -> zig-zag 14
        Assert.Equal(new byte[] { 1, 1 }, Bytes(new Close(true)));             // index 1, true
        Assert.Equal(new byte[] { 2, 1, (byte)'k', 0 }, Bytes(new LockDoor("k", null)));
        Assert.Equal(new byte[] { 2, 1, (byte)'k', 1, 0 }, Bytes(new LockDoor("k", 0)));
        Assert.Equal(new byte[] { 5, 2, 2, 3 }, Bytes(new KnockEvent([1, -2])));  // index 5, length 2, 1 -> 2, -2 -> 3
    }

    [Fact]
    public void Equal_values_give_equal_bytes()
    {
        var a = new DoorSnapshot(DoorState.Opened, false, "", 0, 0, 5, new Frame(Material.Wood, 2), KeySet.Create(["a", "b"]), 7);
        var b = new DoorSnapshot(DoorState.Opened, false, string.Concat("", ""), 0, 0, 5, new Frame(Material.Wood, 2), KeySet.Empty.Add("b").Add("a"), 7);
        Assert.Equal(a, b);
        Assert.Equal(Bytes(a), Bytes(b));
        Assert.Equal(Bytes(new KnockEvent([1, 2])), Bytes(new KnockEvent([1, 2])));
    }

    [Fact]
    public void Different_values_give_different_bytes()
    {
        var baseline = new DoorSnapshot(DoorState.Locked, true, "ab", 1, 1, 1, new Frame(Material.Oak, 1), KeySet.Create(["c"]), 1);
        DoorSnapshot[] variants =
        [
            baseline,
            baseline with { State = DoorState.Closed },
            baseline with { Bolted = false },
            baseline with { Key = "a" },
            baseline with { Key = "abc" },
            baseline with { Turns = 2 },
            baseline with { Kicks = -1 },
            baseline with { Opens = 0 },
            baseline with { Frame = new Frame(Material.Wood, 1) },
            baseline with { Frame = new Frame(Material.Oak, 0) },
            baseline with { KeysTried = KeySet.Empty },
            baseline with { KeysTried = KeySet.Create(["c", "d"]) },
            baseline with { LastForce = null },
            baseline with { LastForce = 0 },
            // Shifting characters between adjacent strings must not collide: "ab" + ["c"] vs "a" + ["bc"].
            baseline with { Key = "a", KeysTried = KeySet.Create(["bc"]) },
        ];
        var encodings = variants.Select(v => Convert.ToHexString(Bytes(v))).ToList();
        Assert.Equal(encodings.Count, encodings.Distinct().Count());

        DoorEvent[] events = [new Open(1), new Kick(1), new Close(false), new Close(true), new LockDoor("a", null), new LockDoor("a", 1), new Unlock("a"), new KnockEvent([]), new KnockEvent([0])];
        var eventEncodings = events.Select(e => Convert.ToHexString(Bytes(e))).ToList();
        Assert.Equal(eventEncodings.Count, eventEncodings.Distinct().Count());
    }

    [Fact]
    public void Snapshots_restored_from_json_encode_the_same()
    {
        var (after, _, _, _) = DoorExploration.Step(DoorExploration.Initial, new LockDoor("brass", 3));
        var json = TestJson.Write(w => DoorJson.WriteSnapshot(w, after));
        Assert.Equal(Bytes(after), Bytes(DoorJson.ParseSnapshot(TestJson.Utf8(json))));
    }
}
