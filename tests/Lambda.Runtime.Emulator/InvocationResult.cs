namespace Lambda.Runtime.Emulator;

/// <summary>How one emulated invocation ended: a response, an error post, or the deadline.</summary>
/// <param name="RequestId">The invocation's request id.</param>
/// <param name="ResponseBody">The posted response body (UTF-8); null for an error or a timeout.</param>
/// <param name="IsError">The runtime posted to /error.</param>
/// <param name="ErrorType">errorType from the error body, if it was JSON.</param>
/// <param name="ErrorMessage">errorMessage from the error body, if it was JSON.</param>
/// <param name="FunctionErrorTypeHeader">The Lambda-Runtime-Function-Error-Type header of the error post.</param>
/// <param name="TimedOut">The deadline passed before the runtime answered.</param>
/// <param name="Elapsed">From queueing the event to the answer (or the deadline).</param>
public sealed record InvocationResult(
    string RequestId,
    string? ResponseBody,
    bool IsError,
    string? ErrorType,
    string? ErrorMessage,
    string? FunctionErrorTypeHeader,
    bool TimedOut,
    TimeSpan Elapsed);
