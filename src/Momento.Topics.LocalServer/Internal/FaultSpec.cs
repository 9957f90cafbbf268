using System.Collections.Frozen;
using System.Globalization;
using Grpc.Core;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// The fault-injection headers of one call, parsed and validated. The keys identify a distinct
/// fault spec (header values plus <c>request-id</c>) so <c>error-count</c>/<c>delay-count</c> budgets
/// of different tests do not share a counter.
/// </summary>
internal sealed record FaultSpec
{
    public const string ReturnErrorHeader = "return-error";
    public const string ErrorRpcsHeader = "error-rpcs";
    public const string ErrorCountHeader = "error-count";
    public const string RetryDispositionHeader = "retry-disposition";
    public const string DelayRpcsHeader = "delay-rpcs";
    public const string DelayMsHeader = "delay-ms";
    public const string DelayCountHeader = "delay-count";
    public const string StreamErrorRpcsHeader = "stream-error-rpcs";
    public const string StreamErrorHeader = "stream-error";
    public const string StreamErrorMessageLimitHeader = "stream-error-message-limit";
    public const string RequestIdHeader = "request-id";

    private static readonly FrozenDictionary<string, StatusCode> StatusNames = new Dictionary<string, StatusCode>(StringComparer.Ordinal)
    {
        ["cancelled"] = StatusCode.Cancelled,
        ["unknown"] = StatusCode.Unknown,
        ["invalid-argument"] = StatusCode.InvalidArgument,
        ["deadline-exceeded"] = StatusCode.DeadlineExceeded,
        ["not-found"] = StatusCode.NotFound,
        ["already-exists"] = StatusCode.AlreadyExists,
        ["permission-denied"] = StatusCode.PermissionDenied,
        ["resource-exhausted"] = StatusCode.ResourceExhausted,
        ["failed-precondition"] = StatusCode.FailedPrecondition,
        ["aborted"] = StatusCode.Aborted,
        ["out-of-range"] = StatusCode.OutOfRange,
        ["unimplemented"] = StatusCode.Unimplemented,
        ["internal"] = StatusCode.Internal,
        ["unavailable"] = StatusCode.Unavailable,
        ["data-loss"] = StatusCode.DataLoss,
        ["unauthenticated"] = StatusCode.Unauthenticated,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static FaultSpec None { get; } = new();

    public StatusCode? ReturnError { get; private init; }
    public FaultRpc ErrorRpcs { get; private init; }
    public int? ErrorCount { get; private init; }
    public string? RetryDisposition { get; private init; }
    public string ErrorKey { get; private init; } = string.Empty;

    public int? DelayMs { get; private init; }
    public FaultRpc DelayRpcs { get; private init; }
    public int? DelayCount { get; private init; }
    public string DelayKey { get; private init; } = string.Empty;

    public StatusCode? StreamError { get; private init; }
    public FaultRpc StreamErrorRpcs { get; private init; }

    /// <summary>
    /// Items and discontinuities (heartbeats are not counted, so the point of failure does not depend
    /// on timing) a stream sends before it fails; 0 fails right after the first heartbeat.
    /// </summary>
    public int StreamErrorMessageLimit { get; private init; }

    /// <summary>Reads the headers; a bad value throws INVALID_ARGUMENT naming the header.</summary>
    public static FaultSpec Parse(Metadata headers)
    {
        var returnError = headers.GetValue(ReturnErrorHeader);
        var delayMs = headers.GetValue(DelayMsHeader);
        var streamError = headers.GetValue(StreamErrorHeader);
        if (returnError is null && delayMs is null && streamError is null)
        {
            return None;
        }

        var requestId = headers.GetValue(RequestIdHeader) ?? string.Empty;
        var errorRpcs = headers.GetValue(ErrorRpcsHeader);
        var errorCount = headers.GetValue(ErrorCountHeader);
        var disposition = headers.GetValue(RetryDispositionHeader);
        var delayRpcs = headers.GetValue(DelayRpcsHeader);
        var delayCount = headers.GetValue(DelayCountHeader);
        var streamRpcs = headers.GetValue(StreamErrorRpcsHeader);
        var streamLimit = headers.GetValue(StreamErrorMessageLimitHeader);

        if (disposition is not null and not "retryable" and not "possibly_retryable")
        {
            throw Bad(RetryDispositionHeader, "expected 'retryable' or 'possibly_retryable'");
        }

        return new FaultSpec
        {
            ReturnError = returnError is null ? null : ParseStatus(ReturnErrorHeader, returnError),
            ErrorRpcs = ParseRpcs(ErrorRpcsHeader, errorRpcs),
            ErrorCount = ParseCount(ErrorCountHeader, errorCount),
            RetryDisposition = disposition,
            ErrorKey = string.Join('\n', requestId, returnError, errorRpcs, errorCount, disposition),
            DelayMs = delayMs is null ? null : ParseCount(DelayMsHeader, delayMs),
            DelayRpcs = ParseRpcs(DelayRpcsHeader, delayRpcs),
            DelayCount = ParseCount(DelayCountHeader, delayCount),
            DelayKey = string.Join('\n', requestId, delayMs, delayRpcs, delayCount),
            StreamError = streamError is null ? null : ParseStatus(StreamErrorHeader, streamError),
            StreamErrorRpcs = ParseRpcs(StreamErrorRpcsHeader, streamRpcs),
            StreamErrorMessageLimit = ParseCount(StreamErrorMessageLimitHeader, streamLimit) ?? 0,
        };
    }

    private static StatusCode ParseStatus(string header, string value) =>
        StatusNames.TryGetValue(value.Trim().ToLowerInvariant(), out var code)
            ? code
            : throw Bad(header, "expected a gRPC status name such as 'unavailable' or 'not-found'");

    /// <summary>Absent means every RPC; SDKs join names with spaces, commas are accepted too.</summary>
    private static FaultRpc ParseRpcs(string header, string? value)
    {
        if (value is null)
        {
            return FaultRpc.All;
        }
        var rpcs = FaultRpc.None;
        foreach (var name in value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            rpcs |= FaultRpcNames.FromName(name.ToLowerInvariant())
                ?? throw Bad(header, "expected RPC names among 'topic-publish', 'topic-subscribe', 'ping', 'get', 'set', 'set-if', 'delete'");
        }
        return rpcs == FaultRpc.None
            ? throw Bad(header, "expected at least one RPC name")
            : rpcs;
    }

    private static int? ParseCount(string header, string? value)
    {
        if (value is null)
        {
            return null;
        }
        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw Bad(header, "expected a non-negative integer");
    }

    private static RpcException Bad(string header, string expectation) =>
        RpcErrors.InvalidArgument($"Invalid value of fault-injection header '{header}': {expectation}");
}
