using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Grpc.Core;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// Reads the 5-byte header of a call's first (and, for these services, only) message before gRPC does: a compressed
/// flag other than 0 or 1 is INTERNAL (a protocol error; gRPC fails on it as a handler exception), and a length over
/// the message limit gets the answer an oversized publish value gets (<c>err: request_size_limit_exceeded</c>, the
/// limit named) before any of it is read, whatever gRPC would have made of it (past 2 GB, a handler exception).
/// </summary>
internal static class FrameHeaderCheck
{
    private const int HeaderBytes = 5;

    public static Func<HttpContext, RequestDelegate, Task> Middleware(LocalTopicsServerOptions options)
    {
        var tooLarge = RpcErrors.RequestTooLarge(RequestLimits.TooLargeDetail(options));
        var maxMessageBytes = RequestLimits.MaxMessageBytes(options);
        return async (context, next) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method)
                || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var body = context.Request.BodyReader;
            var refusal = await ReadHeaderAsync(body, maxMessageBytes, tooLarge, context.RequestAborted).ConfigureAwait(false);
            if (refusal is null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)refusal.StatusCode).ToString(CultureInfo.InvariantCulture);
            // Printable ASCII without '%': no percent-encoding needed.
            response.Headers["grpc-message"] = refusal.Status.Detail;
            foreach (var trailer in refusal.Trailers)
            {
                response.Headers[trailer.Key] = trailer.Value;
            }

            // Trailers-only, then the rest of the upload is read and dropped: a refusal while the client still uploads
            // makes Kestrel reset the stream, and a burst of resets trips its rapid-reset guard (ENHANCE_YOUR_CALM,
            // then the whole connection), which would hide this answer. Memory stays flat.
            await response.CompleteAsync().ConfigureAwait(false);
            await RequestLimits.DrainAsync(body, context.RequestAborted).ConfigureAwait(false);
        };
    }

    // The refusal for the first message's header, or null to let gRPC read it (nothing is consumed either way).
    private static async Task<RpcException?> ReadHeaderAsync(
        System.IO.Pipelines.PipeReader body, int maxMessageBytes, RpcException tooLarge, CancellationToken cancellationToken)
    {
        System.IO.Pipelines.ReadResult result;
        try
        {
            result = await body.ReadAtLeastAsync(HeaderBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The client went away or broke the stream: gRPC meets the same and answers it.
            return null;
        }

        var buffer = result.Buffer;
        RpcException? refusal = null;
        if (buffer.Length >= HeaderBytes)
        {
            var header = new byte[HeaderBytes];
            buffer.Slice(0, HeaderBytes).CopyTo(header);
            var flag = header[0];
            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
            refusal = flag > 1
                ? new RpcException(new Status(StatusCode.Internal, $"The message header's compressed flag is {flag.ToString(CultureInfo.InvariantCulture)}; only 0 and 1 exist."))
                : length > maxMessageBytes ? tooLarge : null;
        }

        body.AdvanceTo(buffer.Start);
        return refusal;
    }
}
