using System.Globalization;
using System.IO.Compression;
using System.IO.Pipelines;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// The bounds on what one request may make the server hold: HTTP/2 frames, header blocks, flow-control
/// windows and gRPC messages. Oversized or hostile input is refused at these edges, so memory stays bounded
/// however many such requests arrive.
/// </summary>
internal static class RequestLimits
{
    /// <summary>Room for everything in a publish besides its value: names (topics of 256 characters take at most 1 KB) and field tags.</summary>
    public const int RequestOverheadBytes = 8 * 1024;

    /// <summary>The text gRPC answers with when a request message is over its receive limit (Grpc.AspNetCore.Server).</summary>
    public const string GrpcReceiveLimitDetail = "Received message exceeds the maximum configured message size.";

    // The HTTP/2 minimum: no peer frame needs a buffer beyond it.
    private const int MaxFrameBytes = 16 * 1024;
    private const int MaxHeaderFieldBytes = 16 * 1024;
    private const int MaxHeadersTotalBytes = 32 * 1024;
    private const int MaxHeaderCount = 100;
    private const int HeaderTableBytes = 4096;

    // Unread request data a stream / a connection may have in flight; a publish needs a few KB.
    private const int StreamWindowBytes = 64 * 1024;
    private const int ConnectionWindowBytes = 256 * 1024;

    // Far above any sensible subscription count, but a bound (the product of the options could overflow).
    private const int MaxStreamsCeiling = 10_000;

    // gRPC's own default message limit: what a client may reasonably still be uploading when refused.
    private const long MaxDrainBytes = 4 * 1024 * 1024;

    /// <summary>The largest request message accepted: the value limit plus room for the rest of a publish.</summary>
    public static int MaxMessageBytes(LocalTopicsServerOptions options) =>
        (int)Math.Min(int.MaxValue, (long)options.MaxValueBytes + RequestOverheadBytes);

    public static void Apply(KestrelServerLimits limits, LocalTopicsServerOptions options)
    {
        limits.MaxRequestHeadersTotalSize = MaxHeadersTotalBytes;
        limits.MaxRequestHeaderCount = MaxHeaderCount;
        limits.Http2.MaxFrameSize = MaxFrameBytes;
        limits.Http2.MaxRequestHeaderFieldSize = MaxHeaderFieldBytes;
        limits.Http2.HeaderTableSize = HeaderTableBytes;
        limits.Http2.InitialStreamWindowSize = Math.Max(StreamWindowBytes, MaxMessageBytes(options) + 5);
        limits.Http2.InitialConnectionWindowSize = Math.Max(ConnectionWindowBytes, limits.Http2.InitialStreamWindowSize);

        // Up to MaxSubscriptionsPerCache streams plus publishes share one connection in most clients.
        var streams = ((long)options.MaxSubscriptionsPerCache * options.Caches.Count) + 100;
        limits.Http2.MaxStreamsPerConnection = (int)Math.Clamp(streams, 100, MaxStreamsCeiling);
    }

    /// <summary>Request compressions whose output is bounded by the message limit, answered like any oversized message.</summary>
    public static IEnumerable<ICompressionProvider> BoundedCompressions(LocalTopicsServerOptions options)
    {
        var limit = MaxMessageBytes(options);
        var detail = TooLargeDetail(options);
        RpcException TooLarge() => RpcErrors.RequestTooLarge(detail);
        yield return new BoundedDecompression(new GzipCompressionProvider(CompressionLevel.Fastest), limit, TooLarge);
        yield return new BoundedDecompression(new DeflateCompressionProvider(CompressionLevel.Fastest), limit, TooLarge);
    }

    /// <summary>
    /// gRPC refuses a message over its receive limit before any service code runs, with RESOURCE_EXHAUSTED
    /// and a generic text. This gives that refusal the answer an oversized publish value gets from the
    /// service: <c>err: request_size_limit_exceeded</c> and a message naming the limit.
    /// </summary>
    public static Func<HttpContext, RequestDelegate, Task> AnswerOversizedMessages(LocalTopicsServerOptions options)
    {
        var detail = TooLargeDetail(options);
        return async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            var response = context.Response;
            // Refusals before any message are trailers-only: the status travels in the headers.
            if (response.HasStarted
                || response.Headers["grpc-status"] != "8"
                || Uri.UnescapeDataString(response.Headers["grpc-message"].ToString()) != GrpcReceiveLimitDetail
                || response.Headers.ContainsKey(RpcErrors.ErrTrailer))
            {
                return;
            }
            response.Headers[RpcErrors.ErrTrailer] = RpcErrors.RequestSizeLimitExceeded;
            // Printable ASCII without '%' needs no percent-encoding in grpc-message.
            response.Headers["grpc-message"] = detail;

            // A refusal while the client is still uploading makes Kestrel reset the stream, and a burst of such
            // resets trips its rapid-reset guard (ENHANCE_YOUR_CALM, then the whole connection), which would hide
            // this answer. So the answer goes out first, then the rest of the upload is read and dropped, which
            // lets the stream end normally; memory stays flat.
            await response.CompleteAsync().ConfigureAwait(false);
            await DrainAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
        };
    }

    /// <summary>Reads and drops what is left of a refused upload, up to a bound, so the stream ends normally.</summary>
    public static async Task DrainAsync(PipeReader body, CancellationToken cancellationToken)
    {
        long drained = 0;
        try
        {
            while (drained <= MaxDrainBytes)
            {
                var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
                drained += result.Buffer.Length;
                body.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The client gave up or the body cannot be read any more: nothing left to drain.
        }
    }

    /// <summary>The text of every refusal of an oversized request message.</summary>
    public static string TooLargeDetail(LocalTopicsServerOptions options) => string.Create(
        CultureInfo.InvariantCulture,
        $"Request message exceeds the limit of {MaxMessageBytes(options)} bytes (a published value may be at most {options.MaxValueBytes} bytes)");
}
