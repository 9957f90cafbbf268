using System.Text.Json;

namespace Publisher.Local.Tests.Infrastructure;

/// <summary>One Server-Sent Events event: its place in the stream, its name and its JSON data.</summary>
internal sealed record SseEvent(int Index, string Name, JsonElement Data)
{
    public string Text(string property) => Data.GetProperty(property).GetString()!;
}

/// <summary>
/// Reads a console event stream in the background and keeps every event; a test awaits the first event that matches,
/// whether it came already or comes later (events of different sources, such as an item and an invocation record,
/// arrive in either order), and compares indexes where order matters.
/// </summary>
internal sealed class SseStream : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SseEvent> _events = [];
    private readonly List<(Func<SseEvent, bool> Match, TaskCompletionSource<SseEvent> Done)> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private SseStream(HttpResponseMessage response)
    {
        Response = response;
        _reading = ReadAsync();
    }

    public HttpResponseMessage Response { get; }

    /// <summary>Opens the stream and returns once its hello arrived (with the page id).</summary>
    public static async Task<(SseStream Stream, string PageId)> OpenAsync(HttpClient http, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/stream");
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var stream = new SseStream(response);
        var hello = await stream.WaitForAsync("hello");
        return (stream, hello.Text("page"));
    }

    /// <summary>The first event named <paramref name="name"/> that matches, received or to come, within the default timeout.</summary>
    public Task<SseEvent> WaitForAsync(string name, Func<SseEvent, bool>? match = null)
    {
        bool Matches(SseEvent e) => e.Name == name && (match is null || match(e));
        lock (_gate)
        {
            if (_events.FirstOrDefault(Matches) is { } received)
            {
                return Task.FromResult(received);
            }

            var done = new TaskCompletionSource<SseEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Matches, done));
            return done.Task.DefaultTimeout();
        }
    }

    /// <summary>Ends the reading and closes the connection, as a browser tab that goes away.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await Response.Content.ReadAsStreamAsync(_stop.Token));
            string? name = null;
            string? data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null && data is not null)
                    {
                        using var document = JsonDocument.Parse(data);
                        Add(name, document.RootElement.Clone());
                    }

                    name = data = null;
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                foreach (var (_, done) in _waiters)
                {
                    done.TrySetException(new InvalidOperationException("The event stream ended before the event expected."));
                }

                _waiters.Clear();
            }
        }
    }

    private void Add(string name, JsonElement data)
    {
        lock (_gate)
        {
            var added = new SseEvent(_events.Count, name, data);
            _events.Add(added);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(added))
                {
                    _waiters[i].Done.TrySetResult(added);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
