using System.Text;

namespace Lambda.Runtime.Emulator;

/// <summary>A thread-safe writer that keeps complete lines and lets a test await the first line matching a condition.</summary>
public sealed class LineWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _current = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public override void Write(char value) => Append([value]);

    public override void Write(string? value) => Append(value);

    public override void WriteLine(string? value) => Append(value + "\n");

    /// <summary>Completes with the first line (already written or future) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_gate)
        {
            var existing = _lines.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task;
        }
    }

    // One lock per write keeps lines from concurrent writers whole.
    private void Append(ReadOnlySpan<char> text)
    {
        List<(TaskCompletionSource<string> Done, string Line)>? completed = null;
        lock (_gate)
        {
            foreach (var c in text)
            {
                if (c != '\n')
                {
                    _current.Append(c);
                    continue;
                }

                var line = _current.ToString().TrimEnd('\r');
                _current.Clear();
                _lines.Add(line);
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Match(line))
                    {
                        (completed ??= []).Add((_waiters[i].Done, line));
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }

        completed?.ForEach(c => c.Done.TrySetResult(c.Line));
    }
}
