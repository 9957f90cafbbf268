using Grpc.Core;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>Builds every error the server returns, so statuses, messages and trailers stay consistent.</summary>
internal static class RpcErrors
{
    /// <summary>Trailer that names the reason, as the hosted service sends it.</summary>
    public const string ErrTrailer = "err";

    /// <summary>Trailer telling clients whether a failed call may be retried safely.</summary>
    public const string RetryDispositionTrailer = "retry_disposition";

    public const string CacheNotFoundMessage = "A cache with the specified name does not exist";

    /// <summary>The <c>err</c> of every refusal for size: a value over the limit, or a whole request message.</summary>
    public const string RequestSizeLimitExceeded = "request_size_limit_exceeded";

    public static RpcException InvalidArgument(string message) =>
        new(new Status(StatusCode.InvalidArgument, message));

    /// <summary>
    /// NOT_FOUND without an <c>err</c> trailer: the official SDKs read <c>err: store_not_found</c> as a missing
    /// Momento Storage store and <c>item_not_found</c> as a missing item; only a bare NOT_FOUND means a missing cache.
    /// </summary>
    public static RpcException CacheNotFound() =>
        new(new Status(StatusCode.NotFound, CacheNotFoundMessage));

    public static RpcException ValueTooLarge(int size, int limit) =>
        new(
            new Status(StatusCode.ResourceExhausted, $"Message size {size.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes exceeds the limit of {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes"),
            new Metadata { { ErrTrailer, RequestSizeLimitExceeded } });

    /// <summary>A request message over the limit (possibly only once decompressed).</summary>
    public static RpcException RequestTooLarge(string detail) =>
        new(new Status(StatusCode.ResourceExhausted, detail), new Metadata { { ErrTrailer, RequestSizeLimitExceeded } });

    public static RpcException SubscriptionLimit(int limit) =>
        new(
            new Status(StatusCode.ResourceExhausted, $"Topic subscriptions limit of {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)} per cache exceeded"),
            new Metadata { { ErrTrailer, "topic_subscriptions_limit_exceeded" } });

    public static RpcException Unauthenticated(string message) =>
        new(new Status(StatusCode.Unauthenticated, message));

    public static RpcException ShuttingDown() =>
        new(new Status(StatusCode.Unavailable, "The server is shutting down"));

    /// <summary>An error requested through a fault-injection header.</summary>
    public static RpcException Injected(StatusCode code, string header, string? retryDisposition)
    {
        var trailers = new Metadata();
        if (retryDisposition is not null)
        {
            trailers.Add(RetryDispositionTrailer, retryDisposition);
        }
        return new RpcException(new Status(code, $"Error injected by the '{header}' header"), trailers);
    }
}
