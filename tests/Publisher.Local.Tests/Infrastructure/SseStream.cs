using System.Text.Json;
using System.Threading.Channels;

namespace Publisher.Local.Tests.Infrastructure;

/// <summary>One Server-Sent Events event: its name and its JSON data.</summary>
internal sealed record SseEvent(string Name, JsonElement Data)
{
    public string Text(string property) => Data.GetProperty(property).GetString()!;
}

/// <summary>Reads a console event stream in the background; a test awaits the events it expects, in order.</summary>
internal sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private SseStream(HttpResponseMessage response)
    {
        _response = response;
        _reading = ReadAsync();
    }

    public HttpResponseMessage Response => _response;

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
        var hello = await stream.NextAsync("hello");
        return (stream, hello.Text("page"));
    }

    /// <summary>The next event named <paramref name="name"/> (others before it are skipped), within the default timeout.</summary>
    public async Task<SseEvent> NextAsync(string name, Func<SseEvent, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
        while (true)
        {
            var next = await _events.Reader.ReadAsync(timeout.Token);
            if (next.Name == name && (match is null || match(next)))
            {
                return next;
            }
        }
    }

    /// <summary>Ends the reading and closes the connection, as a browser tab that goes away.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
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
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
            string? name = null;
            string? data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null && data is not null)
                    {
                        using var document = JsonDocument.Parse(data);
                        _events.Writer.TryWrite(new SseEvent(name, document.RootElement.Clone()));
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
            _events.Writer.TryComplete();
        }
    }
}
