using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Publisher.Local.Internal;

/// <summary>
/// Standard output when it is a pipe: once the reader has gone (<c>subscribe | head -1</c>), the next write stops the
/// program, as SIGPIPE stops a C program. Console.Out would swallow the broken pipe, and a subscription would then run
/// on, printing to nobody, until Ctrl+C. Writes after that are dropped, never thrown into the caller (a function's log).
/// </summary>
internal sealed class PipeOutput : TextWriter
{
    private readonly StreamWriter _inner;
    private readonly Action _readerGone;
    private readonly Lock _gate = new();
    private bool _gone;

    private PipeOutput(Stream pipe, Action readerGone)
    {
        _inner = new StreamWriter(pipe, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
        _readerGone = readerGone;
    }

    /// <inheritdoc />
    public override Encoding Encoding => _inner.Encoding;

    /// <summary>
    /// A writer over file descriptor 1 when it is a pipe (not seekable: a file shared with stderr keeps Console's
    /// writes), else <paramref name="fallback"/>; <paramref name="readerGone"/> runs on the first write that finds the reader gone.
    /// </summary>
    public static TextWriter ForStandardOutput(TextWriter fallback, Action readerGone)
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows())
        {
            return fallback;
        }

        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (stream.CanSeek)
        {
            stream.Dispose();
            return fallback;
        }

        return new PipeOutput(stream, readerGone);
    }

    /// <inheritdoc />
    public override void Write(char value) => Guard(() => _inner.Write(value));

    /// <inheritdoc />
    public override void Write(string? value) => Guard(() => _inner.Write(value));

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));

    /// <inheritdoc />
    public override void WriteLine(string? value) => Guard(() => _inner.WriteLine(value));

    /// <inheritdoc />
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void Flush() => Guard(_inner.Flush);

    /// <inheritdoc />
    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _gone = true;
                _inner.BaseStream.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Guard(Action write)
    {
        var first = false;
        lock (_gate)
        {
            if (_gone)
            {
                return;
            }

            try
            {
                write();
            }
            catch (IOException)
            {
                // EPIPE: the reader closed its end.
                _gone = first = true;
            }
        }

        if (first)
        {
            _readerGone();
        }
    }
}
