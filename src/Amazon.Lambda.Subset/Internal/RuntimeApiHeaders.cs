using System.Net.Http.Headers;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>The per-invocation headers of <c>GET /runtime/invocation/next</c>.</summary>
internal sealed record RuntimeApiHeaders(string AwsRequestId, string DeadlineMs, string InvokedFunctionArn, string TraceId)
{
    public const string AwsRequestIdName = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineMsName = "Lambda-Runtime-Deadline-Ms";
    public const string InvokedFunctionArnName = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdName = "Lambda-Runtime-Trace-Id";
    public const string FunctionErrorTypeName = "Lambda-Runtime-Function-Error-Type";

    public static RuntimeApiHeaders From(HttpResponseHeaders headers) => new(
        Value(headers, AwsRequestIdName),
        Value(headers, DeadlineMsName),
        Value(headers, InvokedFunctionArnName),
        Value(headers, TraceIdName));

    // HttpHeaders compares names case-insensitively.
    private static string Value(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
