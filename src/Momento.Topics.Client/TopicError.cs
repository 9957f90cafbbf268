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
/// <param name="ErrorDetail">The service's <c>err</c> trailer, such as <c>request_size_limit_exceeded</c>, if any.</param>
/// <param name="RetryDisposition">The service's <c>retry_disposition</c> trailer (<c>retryable</c> or <c>possibly_retryable</c>), if any.</param>
public sealed record TopicError(
    MomentoErrorCode Code,
    string Message,
    StatusCode GrpcStatus,
    bool MayHaveExecuted,
    string? ErrorDetail,
    string? RetryDisposition)
{
    /// <summary>The SDK-wide name of <see cref="Code"/>, such as <c>NOT_FOUND_ERROR</c>.</summary>
    public string MomentoName => Code.ToMomentoName();
}
