using Grpc.Core;

namespace Momento.Topics.Client;

/// <summary>A failed Momento Topics call, as a value: what went wrong and whether it may have taken effect.</summary>
/// <param name="Code">The Momento error kind.</param>
/// <param name="Message">A sentence saying what happened and what to do; never contains the key or a published value.</param>
/// <param name="GrpcStatus">The gRPC status behind the error (<see cref="StatusCode.InvalidArgument"/> for arguments rejected before sending).</param>
/// <param name="MayHaveExecuted">
/// <see langword="false"/> when the service certainly did not apply the call (not sent, rejected, or
/// <c>retry_disposition: retryable</c>); <see langword="true"/> when the outcome is unknown.
/// </param>
/// <param name="ErrorDetail">
/// The service's <c>err</c> trailer, such as <c>request_size_limit_exceeded</c>, if any; for a
/// <see cref="MomentoErrorCode.ConnectionError"/>, the client's own reason: <see cref="CertificateNotTrusted"/>.
/// </param>
/// <param name="RetryDisposition">The service's <c>retry_disposition</c> trailer (<c>retryable</c> or <c>possibly_retryable</c>), if any.</param>
public sealed record TopicError(
    MomentoErrorCode Code,
    string Message,
    StatusCode GrpcStatus,
    bool MayHaveExecuted,
    string? ErrorDetail,
    string? RetryDisposition)
{
    /// <summary>
    /// The <see cref="ErrorDetail"/> of a connection whose TLS certificate this machine does not trust (its chain, name
    /// or dates were refused): a wrong endpoint, an intercepting proxy, or a trust store without the issuer.
    /// </summary>
    public const string CertificateNotTrusted = "certificate_not_trusted";

    /// <summary>The SDK-wide name of <see cref="Code"/>, such as <c>NOT_FOUND_ERROR</c>.</summary>
    public string MomentoName => Code.ToMomentoName();
}
