using System.Globalization;
using System.Net;
using Grpc.Core;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// A unary gRPC call made directly on the client's HTTP/2 stack (gRPC over HTTP/2, framed by hand), for Ping and
/// Publish. Grpc.Net.Client's call invoker costs the first call about a millisecond of Native AOT type loading (its
/// generic virtual call path) and brings its own layers into the binary; subscriptions still use it. Failures are
/// thrown as the <see cref="RpcException"/> grpc-dotnet would throw, with the same status codes, trailers and, for a
/// transport failure, the <see cref="HttpRequestException"/> as <see cref="Status.DebugException"/>, so the error
/// mapping and the publish retry above do not change.
/// </summary>
internal static class UnaryCall
{
    public const string PublishPath = "/cache_client.pubsub.Pubsub/Publish";
    public const string PingPath = "/cache_client.Ping/Ping";

    /// <summary>The largest response message read. Ping and Publish answer an empty message; this bounds memory.</summary>
    internal const int MaxResponseMessageBytes = 64 * 1024;

    private const string ErrorStartingCall = "Error starting gRPC call.";

    /// <summary>Sends <paramref name="message"/> (already framed) and awaits an OK answer carrying one well-formed message.</summary>
    /// <exception cref="RpcException">Any failure, as grpc-dotnet reports it.</exception>
    public static async Task InvokeAsync(HttpMessageInvoker http, Uri target, byte[] message, Metadata headers, DateTime deadline, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw NotSent(new Status(StatusCode.Cancelled, "Call canceled by the client."), cause: null);
        }

        var timeout = deadline - DateTime.UtcNow;
        if (timeout <= TimeSpan.Zero)
        {
            // grpc-dotnet fails a call whose deadline has passed without sending it.
            throw NotSent(new Status(StatusCode.DeadlineExceeded, string.Empty), cause: null);
        }

        var content = new UnaryContent(message);
        using var request = CreateRequest(target, content, headers, timeout);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(timeout);
        Status status;
        Metadata trailers;
        var answered = false;
        try
        {
            // Disposing the response before its end resets the stream, as grpc-dotnet does on a deadline or cancel.
            using var response = await http.SendAsync(request, call.Token).ConfigureAwait(false);
            answered = true;
            (status, trailers) = await ReadResponseAsync(response, call.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException || cancellationToken.IsCancellationRequested || call.IsCancellationRequested)
        {
            var failure = Resolve(e, cancellationToken, call.IsCancellationRequested, deadline);
            // Whatever ended it (connecting, the TLS handshake, a connect timeout, the deadline or the caller), a call
            // whose message was never handed over was not applied; nor was one the server refused before answering
            // (REFUSED_STREAM: no processing occurred), which reaches here once SocketsHttpHandler's own retries of it
            // are spent. Say so, for the error mapping and the retry above.
            throw content.Started && (answered || !IsRefusedStream(e)) ? new RpcException(failure) : NotSent(failure, failure.DebugException ?? e);
        }

        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status, trailers);
        }
    }

    internal static HttpRequestMessage CreateRequest(Uri target, UnaryContent content, Metadata headers, TimeSpan timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Version = HttpVersion.Version20,
            // HTTP/2 only: prior knowledge over plain TCP, and ALPN "h2" over TLS.
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var requestHeaders = request.Headers;
        requestHeaders.TryAddWithoutValidation("te", "trailers");
        requestHeaders.TryAddWithoutValidation("grpc-accept-encoding", "identity");
        requestHeaders.TryAddWithoutValidation("grpc-timeout", EncodeTimeout(timeout));
        foreach (var entry in headers)
        {
            requestHeaders.TryAddWithoutValidation(entry.Key, entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value);
        }

        return request;
    }

    /// <summary>The <c>grpc-timeout</c> value: whole milliseconds rounded up, or seconds once they exceed the spec's 8 digits.</summary>
    internal static string EncodeTimeout(TimeSpan timeout)
    {
        var milliseconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
        return milliseconds < 100_000_000
            ? milliseconds.ToString(CultureInfo.InvariantCulture) + "m"
            : ((milliseconds + 999) / 1000).ToString(CultureInfo.InvariantCulture) + "S";
    }

    private static async Task<(Status Status, Metadata Trailers)> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (GrpcResponse.ValidateHeaders(response, out var headerTrailers) is { } early)
        {
            return (early, headerTrailers ?? Metadata.Empty);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var received = await GrpcResponse.ReadSingleMessageAsync(body, response, cancellationToken).ConfigureAwait(false);
        var status = GrpcResponse.GetStatus(response);
        var trailers = GrpcResponse.BuildMetadata(response.TrailingHeaders);
        if (received is null)
        {
            // An OK answer without its message is a broken one.
            return (status.StatusCode == StatusCode.OK ? new Status(StatusCode.Internal, "Failed to deserialize response message.") : status, trailers);
        }

        if (status.StatusCode == StatusCode.OK && !PubsubWire.IsWellFormed(received))
        {
            return (new Status(StatusCode.Internal, "Failed to deserialize response message."), trailers);
        }

        return (status, trailers);
    }

    private static bool IsRefusedStream(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException { ErrorCode: 0x7 })
            {
                return true;
            }
        }

        return false;
    }

    private static RpcException NotSent(Status status, Exception? cause) =>
        new(new Status(status.StatusCode, status.Detail, new RequestNotSentException(cause)));

    private static Status Resolve(Exception e, CancellationToken callerToken, bool callCancelled, DateTime deadline)
    {
        if (callerToken.IsCancellationRequested)
        {
            return new Status(StatusCode.Cancelled, "Call canceled by the client.", e);
        }

        if (callCancelled)
        {
            return new Status(StatusCode.DeadlineExceeded, string.Empty);
        }

        if (e is RpcException rpc)
        {
            return rpc.Status;
        }

        var code = GrpcResponse.StatusFromException(e);
        // The server may give up at the deadline (RST_STREAM CANCEL) just before the client's own timer fires.
        if (code == StatusCode.Cancelled && DateTime.UtcNow >= deadline)
        {
            code = StatusCode.DeadlineExceeded;
        }

        return new Status(code, ErrorStartingCall + " " + GrpcResponse.Describe(e), e);
    }
}
