using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;

namespace Momento.Topics.Client.Tests.Infrastructure;

/// <summary>
/// A delegate <see cref="HttpMessageHandler"/> that answers gRPC calls with canned frames, for protocol
/// conditions the local server never produces (a first message that is not a heartbeat, a stream ended with OK).
/// </summary>
internal sealed class FakeGrpcHandler(Func<FakeGrpcHandler.Request, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>();

    /// <summary>Every request, in arrival order.</summary>
    public ChannelReader<Request> Requests => _requests.Reader;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new Request(request.RequestUri!.AbsolutePath, headers, body.Length >= 5 ? body[5..] : []);
        _requests.Writer.TryWrite(recorded);
        return await respond(recorded, cancellationToken);
    }

    /// <summary>A response with the given messages, ending with <paramref name="status"/> and optional trailers.</summary>
    public static HttpResponseMessage Response(IEnumerable<IMessage> messages, StatusCode status = StatusCode.OK, params (string Key, string Value)[] trailers)
    {
        using var body = new MemoryStream();
        var prefix = new byte[5];
        foreach (var message in messages)
        {
            var payload = message.ToByteArray();
            BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)payload.Length);
            body.Write(prefix);
            body.Write(payload);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Version = HttpVersion.Version20,
            Content = new ByteArrayContent(body.ToArray()),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        response.TrailingHeaders.Add("grpc-status", ((int)status).ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in trailers)
        {
            response.TrailingHeaders.Add(key, value);
        }

        return response;
    }

    /// <summary>Never answers; the call ends only when it is cancelled.</summary>
    public static async Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("Unreachable.");
    }

    internal sealed record Request(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Message);
}
