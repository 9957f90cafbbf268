using Amazon.Lambda.Subset.Internal;

namespace Amazon.Lambda.Core;

/// <summary>The X-Ray trace header of the current invocation, for code that is not handed its context (official:
/// Amazon.Lambda.Core). Under multi-concurrency each invocation sees its own: the runtime no longer sets the
/// process-wide <c>_X_AMZN_TRACE_ID</c> variable then, since concurrent invocations would overwrite each other's.</summary>
public class LambdaTraceProvider
{
    // One invocation at a time: a plain field; concurrent invocations: a value that flows with each one's async calls.
    private static readonly AsyncLocal<string> Flowing = new();
    private static string _field;

    /// <summary>The trace header of the invocation running on this async flow; outside multi-concurrency, of the
    /// latest invocation, or <c>_X_AMZN_TRACE_ID</c> before the runtime set one.</summary>
    public static string CurrentTraceId =>
        MultiConcurrency.IsOn ? Flowing.Value : Volatile.Read(ref _field) ?? Environment.GetEnvironmentVariable(EnvironmentNames.TraceId);

    internal static void SetCurrentTraceId(string traceId)
    {
        if (MultiConcurrency.IsOn)
        {
            Flowing.Value = traceId;
        }
        else
        {
            Volatile.Write(ref _field, traceId);
        }
    }
}
