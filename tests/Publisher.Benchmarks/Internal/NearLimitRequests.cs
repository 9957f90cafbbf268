using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Publisher.Local;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// The requests of the near-limit memory suite: four bodies every one of which must be refused with a 413 problem,
/// and the largest publish that must succeed. Each is an HTTP request for the local runner, and the REST API event the
/// local runner builds from it (<see cref="RestApiEmulation.ToEvent"/>) for the function under a Runtime API.
/// </summary>
internal static class NearLimitRequests
{
    public const string Topic = "near-limit";

    /// <summary>The local API's cap (<c>MAX_BODY_BYTES</c>' default): a body larger than this is never read whole.</summary>
    private const int Cap = 1024 * 1024;

    /// <summary>The four refused shapes, in the order the rounds cycle through them.</summary>
    public static IReadOnlyList<NearLimitRequest> Refused { get; } =
    [
        // Declared over the cap: the local API refuses it from its Content-Length; on AWS it reaches the function whole.
        new("5 MB JSON, Content-Length", "/topics", "application/json", Encoding.UTF8.GetBytes(JsonBody.Message(Topic, new string('a', 5_000_000 - 40))), Chunked: false),
        // Undeclared, counted as it streams: refused at the first byte past the cap; base64 in the event on AWS.
        new("2 MiB octet-stream, chunked", "/topics/" + Topic, "application/octet-stream", new byte[2 * 1024 * 1024], Chunked: true),
        // Read whole, and each byte becomes a six-byte JSON escape (\u0001) in the event: the largest event of the four.
        new("1 MiB-1 text/plain, control characters", "/topics/" + Topic, "text/plain", Filled(Cap - 1, 0x01), Chunked: false),
        // Read whole, base64 in the event.
        new("1 MiB-1 octet-stream", "/topics/" + Topic, "application/octet-stream", Filled(Cap - 1, 0x07), Chunked: false),
    ];

    /// <summary>
    /// The largest publish the API takes: a batch of 100 values of 4,096 UTF-8 bytes each (both limits), part control
    /// characters so the JSON escapes bring the body just under the 1 MiB cap.
    /// </summary>
    public static NearLimitRequest LargestValid { get; } = new(
        "largest valid publish (100 x 4 KiB batch)",
        "/batch",
        "application/json",
        Encoding.UTF8.GetBytes(JsonBody.Batch(Enumerable.Range(0, 100).Select(i => (Topic, new string('\u0001', 1_200) + new string('v', 4_096 - 1_200))))),
        Chunked: false);

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }
}

/// <summary>One request of the suite.</summary>
/// <param name="Name">As the tables show it.</param>
/// <param name="Path">Where it is posted.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Body">Its body.</param>
/// <param name="Chunked">Sent without a Content-Length (chunked) rather than with one.</param>
internal sealed record NearLimitRequest(string Name, string Path, string ContentType, byte[] Body, bool Chunked)
{
    /// <summary>The HTTP request body, streamed in 64 KiB writes.</summary>
    public HttpContent Content()
    {
        var content = new StreamedBytes(Body, !Chunked);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(ContentType);
        return content;
    }

    /// <summary>The REST API proxy event the local runner builds for this request (with the stack's stage), as text.</summary>
    public string Event()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = PathString.FromUriComponent(Path);
        context.Request.ContentType = ContentType;
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Host = new HostString("abcdef1234.execute-api.us-east-1.amazonaws.com");
        context.Request.Headers.UserAgent = "near-limit-benchmark";
        if (Chunked)
        {
            context.Request.Headers.TransferEncoding = "chunked";
        }
        else
        {
            context.Request.ContentLength = Body.Length;
        }

        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = Path;
        return Encoding.UTF8.GetString(RestApiEmulation.ToEvent(context.Request, "prod", Body).Payload);
    }

    private sealed class StreamedBytes(byte[] body, bool declareLength) : HttpContent
    {
        private const int Block = 64 * 1024;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var sent = 0; sent < body.Length; sent += Block)
            {
                await stream.WriteAsync(body.AsMemory(sent, Math.Min(Block, body.Length - sent))).ConfigureAwait(false);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return declareLength;
        }
    }
}
