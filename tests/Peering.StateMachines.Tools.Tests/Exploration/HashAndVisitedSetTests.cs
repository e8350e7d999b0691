using System.Text;

namespace Peering.StateMachines.Tools.Tests;

/// <summary>The explorer's hash (MurmurHash3 x64-128, published vectors) and its visited set.</summary>
public sealed class HashAndVisitedSetTests
{
    [Theory]
    [InlineData("", "00000000000000000000000000000000")]
    [InlineData("The quick brown fox jumps over the lazy dog", "6c1b07bc7bbc4be347939ac4a93c437a")]
    [InlineData("The quick brown fox jumps over the lazy dog.", "c902e99e1f4899cde7b68789a3a15d69")]
    public void Murmur3_x64_128_published_vectors(string text, string hex) =>
        Assert.Equal(hex, Hash128.Of(Encoding.ASCII.GetBytes(text)).ToString());

    [Fact]
    public void Every_tail_length_changes_the_hash()
    {
        // Lengths 0..33 cover whole blocks and every tail length of both halves; all distinct.
        var bytes = Enumerable.Range(1, 33).Select(i => (byte)i).ToArray();
        var hashes = Enumerable.Range(0, 34).Select(n => Hash128.Of(bytes.AsSpan(0, n))).ToHashSet();
        Assert.Equal(34, hashes.Count);
    }

    [Fact]
    public void Visited_set_adds_once_and_grows()
    {
        var set = new VisitedSet(4);
        for (ulong i = 0; i < 10_000; i++)
        {
            Assert.True(set.Add(new Hash128(i * 0x9E3779B97F4A7C15UL, i)));
        }

        for (ulong i = 0; i < 10_000; i++)
        {
            Assert.False(set.Add(new Hash128(i * 0x9E3779B97F4A7C15UL, i)));
            Assert.True(set.Contains(new Hash128(i * 0x9E3779B97F4A7C15UL, i)));
        }

        Assert.False(set.Contains(new Hash128(1, 2)));
        Assert.Equal(10_000, set.Count);
    }

    [Fact]
    public void Visited_set_keeps_the_all_zero_hash()
    {
        var set = new VisitedSet();
        Assert.False(set.Contains(default));
        Assert.True(set.Add(default));
        Assert.True(set.Contains(default));
        Assert.False(set.Add(default));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Visited_set_tells_hashes_apart_that_differ_in_one_word_even_with_a_zero_high_word()
    {
        var set = new VisitedSet(4);
        Assert.True(set.Add(new Hash128(5, 0)));
        Assert.True(set.Contains(new Hash128(5, 0)));
        Assert.False(set.Contains(new Hash128(6, 0)));
        Assert.False(set.Contains(new Hash128(5, 2)));
        Assert.True(set.Add(new Hash128(6, 0)));
        Assert.True(set.Add(new Hash128(5, 2)));
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public async Task Readers_while_the_writer_adds_and_grows_find_every_hash_added_before_and_none_never_added()
    {
        // The explorer's merge adds while the workers expanding the next batch read.
        const int count = 300_000;
        static Hash128 Added(long i) => new((ulong)i * 0x9E3779B97F4A7C15UL, ((ulong)i << 1) | 1);
        static Hash128 Never(long i) => new((ulong)i * 0x9E3779B97F4A7C15UL, (ulong)i << 1 | 0x8000_0000_0000_0000UL);
        var set = new VisitedSet(4);
        long published = -1;
        var failures = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var rng = new Random(r);
            while (Volatile.Read(ref published) < count - 1)
            {
                var upTo = Volatile.Read(ref published);
                if (upTo >= 0 && !set.Contains(Added(rng.NextInt64(upTo + 1))))
                {
                    Interlocked.Increment(ref failures);
                }

                if (set.Contains(Never(rng.NextInt64(count))))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (long i = 0; i < count; i++)
        {
            Assert.True(set.Add(Added(i)));
            Volatile.Write(ref published, i);
        }

        await Task.WhenAll(readers);
        Assert.Equal(0, failures);
        Assert.Equal(count, set.Count);
    }
}
