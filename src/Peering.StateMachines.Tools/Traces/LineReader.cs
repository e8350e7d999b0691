using System.Buffers;

namespace Peering.StateMachines.Tools;

/// <summary>
/// Reads lines of bytes from a stream with a bounded line length, so that a 100 MB line is an
/// error rather than an out-of-memory crash. The last line may lack its newline.
/// </summary>
public sealed class LineReader : IDisposable
{
    /// <summary>The default bound on one line: far above any real trace line (the longest reference line is about 8.5 KB).</summary>
    public const int DefaultMaxLineBytes = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Reads from <paramref name="stream"/>, which the reader disposes.</summary>
    public LineReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its terminator; false at the end of the stream.</summary>
    /// <exception cref="LineTooLongException">The line exceeds the bound.</exception>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var scanned = 0;
        while (true)
        {
            var at = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (at >= 0)
            {
                var length = scanned + at;
                line = _buffer.AsSpan(_start, length);
                _start += length + 1;
                LineNumber++;
                return true;
            }

            scanned = _end - _start;
            if (scanned > _maxLineBytes)
            {
                LineNumber++;
                throw new LineTooLongException(LineNumber, _maxLineBytes);
            }

            if (_eof)
            {
                if (scanned == 0)
                {
                    line = default;
                    return false;
                }

                line = _buffer.AsSpan(_start, scanned);
                _start = _end;
                LineNumber++;
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>A line longer than the reader's bound.</summary>
public sealed class LineTooLongException(long lineNumber, int maxLineBytes)
    : Exception($"line longer than {maxLineBytes} bytes")
{
    /// <summary>The 1-based line number.</summary>
    public long LineNumber { get; } = lineNumber;
}
