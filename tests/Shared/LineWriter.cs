using System.Text;
using System.Text.Json;

namespace Tests.Shared;

/// <summary>
/// A thread-safe writer that keeps complete lines (a function's <c>FunctionLog</c>, a program's output), lets a test
/// await the first line matching a condition, and fails a test on an ERROR line it did not declare expected.
/// </summary>
internal sealed class LineWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _current = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly List<Func<string, bool>> _expectedErrors = [];

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines => Since(0);

    /// <summary>How many lines so far: a mark for <see cref="Since"/>.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Forgets the lines so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _lines.Clear();
            _current.Clear();
        }
    }

    /// <summary>The lines written after <paramref name="mark"/> lines.</summary>
    public IReadOnlyList<string> Since(int mark)
    {
        lock (_gate)
        {
            return _lines.Skip(mark).ToList();
        }
    }

    /// <summary>The JSON lines whose <c>message</c> is <paramref name="message"/>.</summary>
    public IReadOnlyList<JsonElement> Messages(string message) => Lines
        .Where(line => line.StartsWith('{'))
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(e => e.TryGetProperty("message", out var m) && m.GetString() == message)
        .ToList();

    /// <summary>
    /// Completes with the first JSON line whose <c>message</c> is <paramref name="message"/>: for what is logged when a
    /// background task ends (a rejected key's warm-up Ping), which may be after the call a test awaited.
    /// </summary>
    public async Task<JsonElement> WaitForMessageAsync(string message)
    {
        var line = await WaitForLineAsync(line => line.StartsWith('{') && HasMessage(line, message)).ConfigureAwait(false);
        return JsonDocument.Parse(line).RootElement;
    }

    /// <summary>Declares that ERROR lines matching <paramref name="match"/> are part of the test, not a failure.</summary>
    public void ExpectErrors(Func<string, bool> match)
    {
        lock (_gate)
        {
            _expectedErrors.Add(match);
        }
    }

    /// <summary>Declares that ERROR lines whose <c>message</c> is <paramref name="message"/> are expected.</summary>
    public void ExpectErrors(string message) => ExpectErrors(line => HasMessage(line, message));

    /// <summary>Fails when an ERROR or FATAL line was written that no <see cref="ExpectErrors(Func{string, bool})"/> declared (like grpc-dotnet's VerifyNoErrorsScope).</summary>
    public void AssertNoUnexpectedErrors()
    {
        List<string> unexpected;
        lock (_gate)
        {
            unexpected = _lines.Where(IsError).Where(line => !_expectedErrors.Any(match => match(line))).ToList();
        }

        if (unexpected.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Unexpected error log lines:\n" + string.Join('\n', unexpected));
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

    private static bool HasMessage(string line, string message) => line.Contains("\"message\":\"" + message + "\"", StringComparison.Ordinal);

    private static bool IsError(string line) =>
        line.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal) || line.Contains("\"level\":\"FATAL\"", StringComparison.Ordinal);

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
