using System.Collections.Immutable;
using Peering.StateMachines;

namespace Peering.TestMachines;

/// <summary>Something that happens to the door. Event index = declaration order below.</summary>
public abstract record DoorEvent;

/// <summary>Someone pushes the door open. <paramref name="FromInside"/> is not part of the wire format.</summary>
[Event]
public sealed record Open(int Force, [WireIgnore] bool FromInside = false) : DoorEvent;

/// <summary>Someone closes the door, gently or with a slam.</summary>
[Event]
public sealed record Close(bool Slam) : DoorEvent;

/// <summary>
/// Someone throws the bolt with <paramref name="Key"/>, turning it <paramref name="Turns"/> times (null: once).
/// Wire tag <c>Lock</c> (the type is not named Lock, which would clash with <c>System.Threading.Lock</c>).
/// </summary>
[Event("Lock")]
public sealed record LockDoor(string Key, uint? Turns) : DoorEvent;

/// <summary>Someone tries to draw the bolt with <paramref name="Key"/>.</summary>
[Event]
public sealed record Unlock(string Key) : DoorEvent;

/// <summary>Someone kicks the door.</summary>
[Event]
public sealed record Kick(long Force) : DoorEvent;

/// <summary>Someone knocks a rhythm (gaps between knocks, in tenths of a second). Wire tag <c>Knock</c>.</summary>
[Event("Knock")]
public sealed record KnockEvent(ImmutableArray<int> Rhythm) : DoorEvent;

/// <summary>What the door does to the world. Effect index = declaration order below.</summary>
public abstract record DoorEffect;

/// <summary>The door moved from one state to another (one per move, transient states included).</summary>
[Effect, TransitionLog]
public sealed record Moved(DoorState From, DoorState To) : DoorEffect;

/// <summary>A slam.</summary>
[Effect]
public sealed record Bang(ulong Decibels) : DoorEffect;

/// <summary>A request the door refused.</summary>
[Effect]
public sealed record Rejected(string Key, string Reason) : DoorEffect;

/// <summary>The knock heard on the other side.</summary>
[Effect]
public sealed record Echo(int[] Rhythm) : DoorEffect;

/// <summary>A kick on the locked door dented its frame. Wire tag <c>Splinter</c>.</summary>
[Effect("Splinter")]
public sealed record Splintered(Material Material, int Dents) : DoorEffect;
