using System.Net.Sockets;
using Grpc.Core;

namespace Momento.Topics.Client.Internal;

/// <summary>The one place where failures become <see cref="TopicError"/> values.</summary>
internal static class ErrorMapper
{
    internal const string ErrTrailer = "err";
    internal const string RetryDispositionTrailer = "retry_disposition";
    internal const string Retryable = "retryable";

    public static MomentoErrorCode ToCode(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => MomentoErrorCode.InvalidArgumentError,
        StatusCode.OutOfRange or StatusCode.Unimplemented => MomentoErrorCode.BadRequestError,
        StatusCode.FailedPrecondition => MomentoErrorCode.FailedPreconditionError,
        StatusCode.PermissionDenied => MomentoErrorCode.PermissionError,
        StatusCode.Unauthenticated => MomentoErrorCode.AuthenticationError,
        StatusCode.ResourceExhausted => MomentoErrorCode.LimitExceededError,
        StatusCode.NotFound => MomentoErrorCode.NotFoundError,
        StatusCode.DeadlineExceeded => MomentoErrorCode.TimeoutError,
        StatusCode.Cancelled => MomentoErrorCode.CancelledError,
        StatusCode.Unavailable => MomentoErrorCode.ServerUnavailable,
        StatusCode.Unknown => MomentoErrorCode.UnknownServiceError,
        StatusCode.Aborted or StatusCode.DataLoss or StatusCode.Internal => MomentoErrorCode.InternalServerError,
        _ => MomentoErrorCode.UnknownError,
    };

    /// <summary>Statuses with which the service certainly refused the call before applying it.</summary>
    public static bool CertainlyRejected(StatusCode status) => status is
        StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.Unauthenticated or
        StatusCode.PermissionDenied or StatusCode.ResourceExhausted or StatusCode.FailedPrecondition or
        StatusCode.OutOfRange or StatusCode.Unimplemented;

    /// <summary>Whether a failed subscription stream may be resumed.</summary>
    public static bool IsResubscribable(StatusCode status) => status is not
        (StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.InvalidArgument);

    /// <summary>
    /// Whether the call failed while connecting, so the request never left the client: a refused or
    /// unreachable connection attempt, or a failed TLS handshake. grpc-dotnet reports these as UNAVAILABLE,
    /// or as INTERNAL when the socket error is not attached, so the status is not checked. A unary call that
    /// ended in any way before its message was handed to a connection says so with <see cref="RequestNotSentException"/>.
    /// </summary>
    public static bool IsNotSent(RpcException exception)
    {
        for (var e = exception.Status.DebugException ?? exception.InnerException; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RequestNotSentException:
                    return true;
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError }:
                    return true;
                // Alone, only codes a TCP connection can meet nowhere but in its connect (or its name lookup): an established
                // one can fail as unreachable too (ICMP, or retransmissions timing out) after its request went out, and
                // SocketsHttpHandler marks every failed connect as a ConnectionError above.
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound }:
                    return true;
            }
        }

        return false;
    }

    public static bool IsRetryableDisposition(RpcException exception) =>
        string.Equals(exception.Trailers.GetValue(RetryDispositionTrailer), Retryable, StringComparison.Ordinal);

    /// <summary>Maps a failed call; <paramref name="operation"/> is a noun phrase such as "The publish".</summary>
    public static TopicError FromRpcException(RpcException exception, string operation)
    {
        var status = exception.StatusCode;
        var notSent = IsNotSent(exception);
        var errDetail = NullIfEmpty(exception.Trailers.GetValue(ErrTrailer));
        var disposition = NullIfEmpty(exception.Trailers.GetValue(RetryDispositionTrailer));
        // A status the client derived from a transport failure (a stream reset by the spec's table) is no refusal by the service.
        var certainlyNotApplied = notSent
            || (CertainlyRejected(status) && exception.Status.DebugException is null)
            || string.Equals(disposition, Retryable, StringComparison.Ordinal);

        if (notSent && UntrustedCertificate(exception) is { } untrusted)
        {
            return new TopicError(
                MomentoErrorCode.ConnectionError,
                $"{operation} could not connect to the service, so the request was never sent. {untrusted.Message} Check the endpoint, and that this machine trusts the certificate's issuer.",
                status,
                MayHaveExecuted: false,
                TopicError.CertificateNotTrusted,
                disposition);
        }

        var code = notSent ? MomentoErrorCode.ConnectionError : ToCode(status);
        var message = Describe(code, operation, certainlyNotApplied, errDetail);
        if (!string.IsNullOrWhiteSpace(exception.Status.Detail))
        {
            message = $"{message} (gRPC {status}: {exception.Status.Detail})";
        }

        return new TopicError(code, message, status, MayHaveExecuted: !certainlyNotApplied, errDetail, disposition);
    }

    /// <summary>The platform's refusal of the service's certificate, when that is why the call failed; a new connection would meet it again.</summary>
    public static UntrustedCertificateException? UntrustedCertificate(RpcException exception)
    {
        for (var e = exception.Status.DebugException ?? exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is UntrustedCertificateException found)
            {
                return found;
            }
        }

        return null;
    }

    public static TopicError InvalidArgument(string message) =>
        new(MomentoErrorCode.InvalidArgumentError, message, StatusCode.InvalidArgument, MayHaveExecuted: false, ErrorDetail: null, RetryDisposition: null);

    public static TopicError CancelledByCaller(string operation, bool mayHaveExecuted) =>
        new(
            MomentoErrorCode.CancelledError,
            mayHaveExecuted
                ? $"{operation} was cancelled by the caller after it was sent, so it may or may not have been applied."
                : $"{operation} was cancelled by the caller before it was sent.",
            StatusCode.Cancelled,
            mayHaveExecuted,
            ErrorDetail: null,
            RetryDisposition: null);

    public static TopicError ClientDisposed(string operation) =>
        new(MomentoErrorCode.CancelledError, $"{operation} ended because the client was disposed.", StatusCode.Cancelled, MayHaveExecuted: false, null, null);

    public static TopicError ProtocolViolation(string what) =>
        new(MomentoErrorCode.InternalServerError, $"The service broke the protocol: {what} (protocol violation).", StatusCode.Internal, MayHaveExecuted: false, null, null);

    public static TopicError Unexpected(string operation, Exception exception) =>
        new(MomentoErrorCode.UnknownError, $"{operation} failed unexpectedly with {exception.GetType().Name}, so it may or may not have been applied.", StatusCode.Unknown, MayHaveExecuted: true, null, null);

    private static string Describe(MomentoErrorCode code, string operation, bool certainlyNotApplied, string? errDetail)
    {
        var outcome = certainlyNotApplied ? "It was not applied." : "It may or may not have been applied.";
        return code switch
        {
            MomentoErrorCode.InvalidArgumentError => $"{operation} was rejected by the service as invalid.",
            MomentoErrorCode.BadRequestError => $"{operation} was rejected: the service does not support this request.",
            MomentoErrorCode.FailedPreconditionError => $"{operation} was rejected because the system is not in the state the operation requires.",
            MomentoErrorCode.PermissionError => $"{operation} was denied: the API key has no permission for this cache or topic.",
            MomentoErrorCode.AuthenticationError => $"{operation} was rejected because the API key was not accepted; check that the key is valid, not expired, and meant for this endpoint.",
            MomentoErrorCode.LimitExceededError => errDetail is null
                ? $"{operation} exceeded a service limit; reduce the size or rate of requests, or ask Momento for a higher limit."
                : $"{operation} exceeded a service limit ({errDetail}); reduce the size or rate of requests, or ask Momento for a higher limit.",
            MomentoErrorCode.NotFoundError => $"{operation} failed because the cache does not exist; create it or check the cache name.",
            MomentoErrorCode.TimeoutError => $"{operation} did not complete before its deadline, so its outcome is unknown: it may or may not have been applied.",
            MomentoErrorCode.CancelledError => $"{operation} was cancelled. {outcome}",
            MomentoErrorCode.ServerUnavailable => $"The service was unavailable for {Lower(operation)}. {outcome}",
            MomentoErrorCode.ConnectionError => $"{operation} could not connect to the service, so the request was never sent.",
            MomentoErrorCode.UnknownServiceError => $"{operation} failed with an unknown service error. {outcome}",
            MomentoErrorCode.InternalServerError => $"{operation} failed with an internal service error. {outcome}",
            _ => $"{operation} failed with an unexpected status. {outcome}",
        };
    }

    private static string Lower(string operation) =>
        operation.StartsWith("The ", StringComparison.Ordinal) ? "the " + operation[4..] : operation;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
