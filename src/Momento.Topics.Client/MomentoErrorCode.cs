namespace Momento.Topics.Client;

/// <summary>The kind of a Momento error, as the official SDKs name them.</summary>
public enum MomentoErrorCode
{
    /// <summary>The request was invalid (gRPC INVALID_ARGUMENT, or rejected before sending).</summary>
    InvalidArgumentError,

    /// <summary>The service could not process the request (OUT_OF_RANGE, UNIMPLEMENTED).</summary>
    BadRequestError,

    /// <summary>The system was not in the state the operation needs (FAILED_PRECONDITION).</summary>
    FailedPreconditionError,

    /// <summary>The key lacks permission for the cache or topic (PERMISSION_DENIED).</summary>
    PermissionError,

    /// <summary>The key was not accepted (UNAUTHENTICATED).</summary>
    AuthenticationError,

    /// <summary>A service limit was exceeded (RESOURCE_EXHAUSTED); see <see cref="TopicError.ErrorDetail"/>.</summary>
    LimitExceededError,

    /// <summary>The cache does not exist (NOT_FOUND).</summary>
    NotFoundError,

    /// <summary>The call did not finish before its deadline (DEADLINE_EXCEEDED); the outcome is unknown.</summary>
    TimeoutError,

    /// <summary>The call was cancelled (CANCELLED).</summary>
    CancelledError,

    /// <summary>The service was unavailable (UNAVAILABLE).</summary>
    ServerUnavailable,

    /// <summary>The service failed with an unknown error (UNKNOWN).</summary>
    UnknownServiceError,

    /// <summary>The service failed internally (INTERNAL, ABORTED, DATA_LOSS), or broke the protocol.</summary>
    InternalServerError,

    /// <summary>No connection to the service could be opened, so the request was never sent.</summary>
    ConnectionError,

    /// <summary>An error that fits no other code.</summary>
    UnknownError,
}
