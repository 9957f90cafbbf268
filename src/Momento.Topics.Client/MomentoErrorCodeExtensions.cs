namespace Momento.Topics.Client;

/// <summary>Conversions of <see cref="MomentoErrorCode"/> to the names the official SDKs use.</summary>
public static class MomentoErrorCodeExtensions
{
    /// <summary>
    /// The SDK-wide name of <paramref name="code"/>, such as <c>INVALID_ARGUMENT_ERROR</c> or
    /// <c>SERVER_UNAVAILABLE</c>.
    /// </summary>
    public static string ToMomentoName(this MomentoErrorCode code) => code switch
    {
        MomentoErrorCode.InvalidArgumentError => "INVALID_ARGUMENT_ERROR",
        MomentoErrorCode.BadRequestError => "BAD_REQUEST_ERROR",
        MomentoErrorCode.FailedPreconditionError => "FAILED_PRECONDITION_ERROR",
        MomentoErrorCode.PermissionError => "PERMISSION_ERROR",
        MomentoErrorCode.AuthenticationError => "AUTHENTICATION_ERROR",
        MomentoErrorCode.LimitExceededError => "LIMIT_EXCEEDED_ERROR",
        MomentoErrorCode.NotFoundError => "NOT_FOUND_ERROR",
        MomentoErrorCode.TimeoutError => "TIMEOUT_ERROR",
        MomentoErrorCode.CancelledError => "CANCELLED_ERROR",
        MomentoErrorCode.ServerUnavailable => "SERVER_UNAVAILABLE",
        MomentoErrorCode.UnknownServiceError => "UNKNOWN_SERVICE_ERROR",
        MomentoErrorCode.InternalServerError => "INTERNAL_SERVER_ERROR",
        MomentoErrorCode.ConnectionError => "CONNECTION_ERROR",
        _ => "UNKNOWN_ERROR",
    };
}
