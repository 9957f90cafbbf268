using Microsoft.Extensions.Logging;

namespace Tests.Shared;

/// <summary>One log entry a server wrote.</summary>
internal sealed record ServerLogEntry(LogLevel Level, string Category, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)
{
    /// <summary>The value of a structured-logging placeholder, or null.</summary>
    public object? this[string name] => State.FirstOrDefault(pair => pair.Key == name).Value;
}

/// <summary>
/// An <see cref="ILoggerProvider"/> that records what a server logs, so a test can assert on an event by its name, and
/// fails a test on an Error or Critical entry it did not declare expected (like grpc-dotnet's VerifyNoErrorsScope).
/// </summary>
internal sealed class ServerLog : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<ServerLogEntry> _entries = [];
    private readonly List<Func<ServerLogEntry, bool>> _expectedErrors = [];

    public IReadOnlyList<ServerLogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The entries of one event, by its <see cref="EventId.Name"/>.</summary>
    public IReadOnlyList<ServerLogEntry> Events(string eventName) => Entries.Where(e => e.EventId.Name == eventName).ToList();

    /// <summary>Waits (within the default timeout) until an entry of <paramref name="eventName"/> matching <paramref name="match"/> is logged.</summary>
    public async Task<ServerLogEntry> WaitForAsync(string eventName, Func<ServerLogEntry, bool> match)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (true)
        {
            if (Events(eventName).FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {eventName} entry was logged within the default timeout.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Declares that Error entries matching <paramref name="match"/> are part of the test, not a failure.</summary>
    public void ExpectErrors(Func<ServerLogEntry, bool> match)
    {
        lock (_gate)
        {
            _expectedErrors.Add(match);
        }
    }

    /// <summary>Fails when an Error or Critical entry was logged that no <see cref="ExpectErrors"/> declared.</summary>
    public void AssertNoUnexpectedErrors()
    {
        List<ServerLogEntry> unexpected;
        lock (_gate)
        {
            unexpected = _entries.Where(e => e.Level >= LogLevel.Error && !_expectedErrors.Any(match => match(e))).ToList();
        }

        if (unexpected.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                "Unexpected error log entries:\n" + string.Join('\n', unexpected.Select(e => $"{e.Level} {e.Category} [{e.EventId.Name}] {e.Message}")));
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(ServerLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    private sealed class Logger(ServerLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception) + (exception is null ? string.Empty : " " + exception);
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Add(new ServerLogEntry(logLevel, category, eventId, message, fields));
        }
    }
}
