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
