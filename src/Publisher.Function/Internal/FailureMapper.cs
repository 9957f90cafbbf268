using Functions.Common.Http;
using Momento.Topics.Client;
using Publisher.Contracts;
using static Publisher.Contracts.HttpContract;

namespace Publisher.Function.Internal;

/// <summary>Maps a Momento failure to the HTTP answer a caller can act on.</summary>
internal static class FailureMapper
{
    /// <summary>The error code of a publish that was not attempted because the invocation had no time left.</summary>
    public const string NoTimeLeftCode = "NO_TIME_LEFT";

    /// <summary>The error code of a publish Momento refused for its key when re-reading the key then failed.</summary>
    public const string KeyRereadFailedCode = "KEY_REREAD_FAILED";

    public static Problem ToProblem(TopicError error) => error.Code switch
    {
        MomentoErrorCode.InvalidArgumentError or MomentoErrorCode.BadRequestError =>
            Problem.Invalid("Momento rejected the message as invalid; it was not published."),
        MomentoErrorCode.LimitExceededError when error.ErrorDetail == "request_size_limit_exceeded" =>
            Problem.TooLarge("Momento rejected the message as too large; it was not published."),
        MomentoErrorCode.LimitExceededError =>
            new Problem(ProblemTypes.RateLimited, "Too many requests.", 429,
                // A limit Momento answered refused the call; one the connection inferred (a stream reset) may not have.
                error.MayHaveExecuted
                    ? "Momento's rate limit was exceeded; the message may have been published. Retry later if duplicates are acceptable."
                    : "Momento's rate limit was exceeded; the message was not published. Retry later.")
            { RetryAfterSeconds = HttpContract.RetryAfterSeconds },
        MomentoErrorCode.ServerUnavailable or MomentoErrorCode.ConnectionError =>
            new Problem(ProblemTypes.Unavailable, "Momento is unavailable.", 503,
                error.MayHaveExecuted
                    ? "Momento is unavailable; the message may have been published. Retry later if duplicates are acceptable."
                    : "Momento is unavailable; the message was not published. Retry later.")
            { RetryAfterSeconds = HttpContract.RetryAfterSeconds },
        MomentoErrorCode.TimeoutError or MomentoErrorCode.CancelledError =>
            new Problem(ProblemTypes.Timeout, "Momento did not answer in time.", 504,
                "The outcome is unknown: the message may have been published."),
        MomentoErrorCode.NotFoundError or MomentoErrorCode.AuthenticationError or MomentoErrorCode.PermissionError =>
            new Problem(ProblemTypes.UpstreamMisconfigured, "The publisher is misconfigured.", 502,
                "The publisher cannot reach its Momento cache with its credentials; the message was not published. The operators have the details in the function's logs."),
        _ =>
            new Problem(ProblemTypes.UpstreamError, "Momento failed.", 502,
                error.MayHaveExecuted
                    ? "Momento answered with an error; the message may have been published."
                    : "Momento answered with an error; the message was not published."),
    };

    /// <summary>Answer when Momento rejected the key and the secret could not be re-read (unreadable, malformed, or no time left).</summary>
    public static Problem KeyRereadFailed() =>
        new(ProblemTypes.UpstreamMisconfigured, "The publisher is misconfigured.", 502,
            "Momento rejected the publisher's key and the current key could not be read from its secret; the message was not published. The operators have the details in the function's logs.");

    /// <summary>Answer when the invocation has no time left to publish in.</summary>
    public static Problem NoTimeLeft() =>
        new(ProblemTypes.Timeout, "Momento did not answer in time.", 504,
            "The invocation had no time left to publish; the message was not published.");
}
