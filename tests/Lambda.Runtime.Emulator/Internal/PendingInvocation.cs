using System.Diagnostics;

namespace Lambda.Runtime.Emulator.Internal;

/// <summary>An event queued or handed to the runtime, until it is answered or its deadline passes.</summary>
internal sealed class PendingInvocation(string requestId, string eventJson, DateTimeOffset deadline, string? traceId)
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    public string RequestId { get; } = requestId;

    public string EventJson { get; } = eventJson;

    public DateTimeOffset Deadline { get; } = deadline;

    public string? TraceId { get; } = traceId;

    public TaskCompletionSource<InvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool TryComplete(string? responseBody, bool isError, string? errorType, string? errorMessage, string? errorTypeHeader, bool timedOut) =>
        Result.TrySetResult(new InvocationResult(
            RequestId, responseBody, isError, errorType, errorMessage, errorTypeHeader, timedOut, Stopwatch.GetElapsedTime(_startTimestamp)));
}
