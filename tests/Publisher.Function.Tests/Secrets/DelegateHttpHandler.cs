using System.Collections.Concurrent;

namespace Publisher.Function.Tests.Secrets;

/// <summary>A request seen by <see cref="DelegateHttpHandler"/>, with its body read.</summary>
internal sealed record SeenRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body);

/// <summary>Fakes the transport: answers with a delegate and records what was sent.</summary>
internal sealed class DelegateHttpHandler(Func<SeenRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var seen = new SeenRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(), body);
        Requests.Enqueue(seen);
        return respond(seen);
    }
}
