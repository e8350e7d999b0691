using Peering.Generation;
using Peering.Machine;
using Peering.Model;
using Peering.StateMachines;

namespace Peering.Exploration;

/// <summary>
/// The small world an exploration covers (docs/exploration.md): a cluster of <see cref="Osds"/> OSDs,
/// objects <c>0..<see cref="Objects"/>-1</c>, object lengths in <c>0..<see cref="MaxLength"/></c>.
/// Everything the generator draws from a wide range (GENERATOR.md §4, §6) is drawn from these small
/// sets instead, so that the alphabet of every snapshot is finite and small. It is what
/// <c>peering explore</c> explores: its initial configurations and its <see cref="EventAlphabet"/>.
/// </summary>
public sealed class ExplorationWorld : IExplorationWorld<PgSnapshot, PgEvent>
{
    private readonly EventAlphabet _alphabet;

    /// <summary>A world; throws <see cref="ArgumentOutOfRangeException"/> outside the supported bounds.</summary>
    public ExplorationWorld(Profile profile, int osds, int objects, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(osds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(osds, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(objects, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(objects, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, 300);
        Profile = profile;
        Osds = osds;
        Objects = objects;
        MaxLength = maxLength;
        Images = BuildImages(objects, maxLength);
        Seqs = Enumerable.Range(0, (objects * maxLength) + 1).Select(x => (ulong)x).ToArray();
        InitialEvents = BuildInitialEvents();
        _alphabet = new EventAlphabet(this);
    }

    /// <summary>The event mix.</summary>
    public Profile Profile { get; }

    /// <summary>Cluster size: OSD ids <c>0..Osds-1</c> (the generator's <c>num_osds</c>, 2 to 5).</summary>
    public int Osds { get; }

    /// <summary>Object ids <c>0..Objects-1</c> (the generator uses object 0 only).</summary>
    public int Objects { get; }

    /// <summary>The largest object length (the generator's lengths go up to 300).</summary>
    public int MaxLength { get; }

    /// <summary>
    /// Every image over the objects with each length in <c>0..MaxLength</c>, zero lengths left out (the
    /// generator never writes a zero-length entry): <c>(MaxLength+1)^Objects</c> images, the empty one
    /// first, then in odometer order with object 0's length varying fastest.
    /// </summary>
    public IReadOnlyList<ObjectImage> Images { get; }

    /// <summary>The committed sequences a random draw may give: <c>0..Objects*MaxLength</c>.</summary>
    public IReadOnlyList<ulong> Seqs { get; }

    /// <summary>The committed sequence that goes with an image: its total length (one byte appended per journal entry).</summary>
    public static ulong SeqOf(ObjectImage image)
    {
        ulong total = 0;
        foreach (var entry in image)
        {
            total += entry.Len;
        }

        return total;
    }

    /// <summary>
    /// Every Initialize the generator could produce in this world (GENERATOR.md §4): for each pool
    /// size <c>2..min(Osds, 3)</c>, each min size <c>1..pool size</c>, each ordered choice of
    /// <c>pool size</c> distinct OSDs as acting = up (whoami its first), and each image as the local
    /// committed image (sequence = its total length); epoch 10, LES = LIS = 10, pgid 1, no prior OSDs.
    /// </summary>
    public IReadOnlyList<PgEvent> InitialEvents { get; }

    /// <summary>The alphabet of <paramref name="snapshot"/> (<see cref="EventAlphabet.AddEvents"/>).</summary>
    public void AddEvents(PgSnapshot snapshot, List<PgEvent> events) => _alphabet.AddEvents(snapshot, events);

    /// <summary>A one-line description, as the explore report's header gives it.</summary>
    public override string ToString() => $"profile {Profile.Name()}, {Osds} OSDs, {Objects} {(Objects == 1 ? "object" : "objects")}, lengths 0..{MaxLength}";

    private List<PgEvent> BuildInitialEvents()
    {
        var events = new List<PgEvent>();
        for (var poolSize = 2; poolSize <= Math.Min(Osds, 3); poolSize++)
        {
            for (var minSize = 1; minSize <= poolSize; minSize++)
            {
                foreach (var acting in OrderedSelections(poolSize, poolSize))
                {
                    var set = new ActingSet(acting, 10);
                    foreach (var image in Images)
                    {
                        var local = new PgInfo(1, SeqOf(image), image.L0(), image, default, 10, 10, 0, 0, 0, 0, 0);
                        events.Add(new Initialize(1, acting[0], 10, set, set, poolSize, minSize, local, default));
                    }
                }
            }
        }

        return events;
    }

    /// <summary>
    /// Every list of distinct OSDs of <paramref name="minSize"/> to <paramref name="maxSize"/>
    /// entries, shorter lists first, each size in lexicographic order.
    /// </summary>
    public IReadOnlyList<ValueList<int>> OrderedSelections(int minSize, int maxSize)
    {
        var lists = new List<ValueList<int>>();
        var current = new List<int>();
        for (var size = minSize; size <= maxSize; size++)
        {
            Extend(size);
        }

        return lists;

        void Extend(int size)
        {
            if (current.Count == size)
            {
                lists.Add(ValueList.Create<int>(current.ToArray()));
                return;
            }

            for (var osd = 0; osd < Osds; osd++)
            {
                if (!current.Contains(osd))
                {
                    current.Add(osd);
                    Extend(size);
                    current.RemoveAt(current.Count - 1);
                }
            }
        }
    }

    private static ObjectImage[] BuildImages(int objects, int maxLength)
    {
        var images = new List<ObjectImage>();
        var lengths = new int[objects];
        while (true)
        {
            var entries = new List<ImageEntry>();
            for (var obj = 0; obj < objects; obj++)
            {
                if (lengths[obj] > 0)
                {
                    entries.Add(new ImageEntry((ulong)obj, (ulong)lengths[obj]));
                }
            }

            images.Add(ObjectMap.Create<ImageEntry>(entries.ToArray()));
            var at = 0;
            while (at < objects && lengths[at] == maxLength)
            {
                lengths[at++] = 0;
            }

            if (at == objects)
            {
                return images.ToArray();
            }

            lengths[at]++;
        }
    }
}
